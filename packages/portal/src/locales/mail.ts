import type { Catalogue, Locale } from '@portal/common';

/** The words of the mails a person asks for themselves (a reset code, an email change), per language. */
export const mailCatalogue: Record<Locale, Catalogue> = {
  en: {
    hello: 'Hello {name},',
    helloNoName: 'Hello,',
    expiry_one: 'It expires in {count} minute, at {time} on {date}, and works only once.',
    expiry_other: 'It expires in {count} minutes, at {time} on {date}, and works only once.',
    neverAsk: 'Do not give this code to anyone, even someone who says they are from Customer Support.',
    reset: {
      subject: 'Your HHS Enterprise Portal security code',
      intro: 'Your HHS Enterprise Portal security code is:',
      where: 'Enter it on the Forgot Password page to reset your password.',
      whereSupport: 'Customer Support sent you this code. Open {url} and enter it there to reset your password.',
      notYou: 'If you did not ask for this code, someone may be trying to get into your account.',
    },
    emailChange: {
      subject: 'Confirm your new HHS Enterprise Portal email address',
      what: 'Someone asked to use this address for their HHS Enterprise Portal account. To confirm it, enter this code on the My Profile page:',
      notYou: 'If you did not ask for this, ignore this email: the address will not be used.',
    },
    emailChanged: {
      subject: 'Your HHS Enterprise Portal email address was changed',
      what: 'The email address on your HHS Enterprise Portal account was changed to {email} at {time} on {date}. Mail from the portal now goes to that address.',
      ok: 'If you made this change, there is nothing more to do.',
      notYou: 'If you did not make this change, contact Customer Support at once:',
    },
  },
  es: {
    hello: 'Hola, {name}:',
    helloNoName: 'Hola:',
    expiry_one: 'Vence en {count} minuto, a las {time} del {date}, y sirve una sola vez.',
    expiry_other: 'Vence en {count} minutos, a las {time} del {date}, y sirve una sola vez.',
    neverAsk: 'No le dé este código a nadie, ni siquiera a alguien que diga ser de Atención al Cliente.',
    reset: {
      subject: 'Su código de seguridad de HHS Enterprise Portal',
      intro: 'Su código de seguridad de HHS Enterprise Portal es:',
      where: 'Ingréselo en la página «¿Olvidó su contraseña?» para restablecer su contraseña.',
      whereSupport: 'Atención al Cliente le envió este código. Abra {url} e ingréselo allí para restablecer su contraseña.',
      notYou: 'Si usted no pidió este código, es posible que alguien esté intentando entrar a su cuenta.',
    },
    emailChange: {
      subject: 'Confirme su nuevo correo electrónico de HHS Enterprise Portal',
      what: 'Alguien pidió usar esta dirección para su cuenta de HHS Enterprise Portal. Para confirmarla, ingrese este código en la página «Mi perfil»:',
      notYou: 'Si usted no lo pidió, ignore este correo: la dirección no se usará.',
    },
    emailChanged: {
      subject: 'Se cambió su correo electrónico de HHS Enterprise Portal',
      what: 'El correo electrónico de su cuenta de HHS Enterprise Portal se cambió a {email} a las {time} del {date}. El correo del portal ahora llega a esa dirección.',
      ok: 'Si usted hizo este cambio, no tiene que hacer nada más.',
      notYou: 'Si usted no hizo este cambio, comuníquese de inmediato con Atención al Cliente:',
    },
  },
};
