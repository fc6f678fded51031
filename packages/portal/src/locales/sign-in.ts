import { addCatalogue, currentPageContext, type Catalogue, type Locale } from '@portal/common';
import { findSecurityQuestion, securityQuestions, type SecurityQuestion } from '../libraries/security-questions.js';
import { t } from './portal.js';

export { t };

/**
 * The sign-in journey's words: the sign-in form and its CAPTCHA, the steps a sign-in may ask
 * (a new password, the expiry warning, the Acceptable Use Agreement, security questions), every
 * Forgot Password step, the password rules, and the seeded security questions. Groups of the
 * `portal` namespace; `signIn` adds to the group in portal.ts.
 */
export const signInCatalogue: Record<Locale, Catalogue> = {
  en: {
    captcha: {
      why: 'For your security, type the characters in the picture as well.',
      left_one: 'After {count} more unsuccessful attempt the account will be locked.',
      left_other: 'After {count} more unsuccessful attempts the account will be locked.',
      withAudio: 'Cannot read the picture? Play the recording: a voice says the same characters twice, over some background noise. You can also get a new picture; that does not count as a try.',
      pictureOnly: 'Cannot read the picture? Get a new picture; that does not count as a try.',
      alt: 'Security check: a picture of distorted characters',
      altWithAudio: 'Security check: a picture of distorted characters. A recording of the same characters follows',
      recording: 'Security check recording',
      download: 'Download the recording (WAV sound file)',
      newPicture: 'Get a new picture',
      label: 'Type the characters in the picture',
    },
    passwordFields: { newPassword: 'New Password', confirmPassword: 'Confirm Password', rules: 'Password rules', mustHave: 'Your password must have:' },
    passwordRules: {
      text: {
        too_short: 'At least {count} characters',
        needs_upper: 'An upper-case letter (A–Z)',
        needs_lower: 'A lower-case letter (a–z)',
        needs_digit: 'A digit (0–9)',
        needs_symbol: 'A symbol, such as ! # $ % or *',
        contains_username: 'Does not contain your username',
        reused: 'Not one of your last {count} passwords',
        common: 'Not a commonly used password',
        too_long: 'At most {count} characters',
      },
      message: {
        too_short: 'Your new password must have at least {count} characters.',
        needs_upper: 'Your new password must contain an upper-case letter (A–Z).',
        needs_lower: 'Your new password must contain a lower-case letter (a–z).',
        needs_digit: 'Your new password must contain a digit (0–9).',
        needs_symbol: 'Your new password must contain a symbol, such as ! # $ % or *.',
        contains_username: 'Your new password must not contain your username.',
        reused: 'Your new password must not be one of your last {count} passwords.',
        common: 'This password is too commonly used and easy to guess. Choose another one.',
        too_long: 'Your new password must have at most {count} characters.',
      },
    },
    steps: {
      changeTitle: 'Change Your Password',
      temporary: 'You signed in with a temporary password. Choose your own password to continue.',
      expired: 'Your password has expired. Choose a new password to continue.',
      expiringTitle: 'Your Password Expires Soon',
      expiring_one: 'Your password expires in {count} day. Change it now to avoid being locked out of your applications.',
      expiring_other: 'Your password expires in {count} days. Change it now to avoid being locked out of your applications.',
      changePassword: 'Change Password',
      questionsTitle: 'Set Up Your Security Questions',
      questionsIntro: 'Choose three different questions and give answers only you know. You will answer them if you ever forget your password. Answers are not case-sensitive.',
    },
    aua: {
      title: 'HHS Acceptable Use Agreement',
      textLabel: 'Agreement text',
      version: 'Version {version}',
      agree: 'I Agree',
      decline: 'Decline',
      englishOnly: 'This version of the agreement is available in English only.',
    },
    questions: { legend: 'Security question {number}', question: 'Question', choose: 'Choose a question', response: 'Response' },
    recovery: {
      title: 'Forgot Password',
      enterUsername: 'Enter your username to reset your password.',
      username: 'Username:',
      next: 'Next',
      startOver: 'Start over',
      chooseTitle: 'How do you want to reset your password?',
      chooseOne: 'Choose one',
      byEmail: 'Email me a one-time security code',
      byQuestions: 'Answer my security questions',
      codeTitle: 'Enter Your Security Code',
      codeResent: 'We sent a new code. Only the newest code works.',
      codeSent: 'If your username and answer match our records, we have emailed a security code to the address on your account. It is valid for {minutes} minutes and works once.',
      codeLabel: 'Security code',
      resend: 'Send a new code',
      answerTitle: 'Answer Your Security Questions',
      newTitle: 'Choose a New Password',
      refusedTitle: 'Password Not Reset',
      refused: 'Your password was already reset in the last 24 hours. A password can be reset once a day.',
      knowCurrent: 'If you know your current password, you can still sign in with it.',
      doneTitle: 'Your Password Has Been Reset',
      done: 'Your password has been reset and your account is unlocked. You have been signed out everywhere.',
      goPortal: 'Go to the HHS Enterprise Portal',
      andSignIn: 'and sign in with your new password.',
    },
    // The seeded questions' English is their own text (libraries/security-questions.ts), by id.
    securityQuestions: Object.fromEntries(securityQuestions.map((q) => [q.id, q.text])),
  },
  es: {
    captcha: {
      why: 'Por su seguridad, escriba también los caracteres de la imagen.',
      left_one: 'Después de {count} intento fallido más, la cuenta se bloqueará.',
      left_other: 'Después de {count} intentos fallidos más, la cuenta se bloqueará.',
      withAudio: '¿No puede leer la imagen? Reproduzca la grabación: una voz dice los mismos caracteres dos veces, con algo de ruido de fondo. También puede pedir una imagen nueva; eso no cuenta como intento.',
      pictureOnly: '¿No puede leer la imagen? Pida una imagen nueva; eso no cuenta como intento.',
      alt: 'Control de seguridad: una imagen de caracteres deformados',
      altWithAudio: 'Control de seguridad: una imagen de caracteres deformados. A continuación hay una grabación de los mismos caracteres',
      recording: 'Grabación del control de seguridad',
      download: 'Descargar la grabación (archivo de sonido WAV)',
      newPicture: 'Pedir una imagen nueva',
      label: 'Escriba los caracteres de la imagen',
    },
    passwordFields: { newPassword: 'Contraseña nueva', confirmPassword: 'Confirmar la contraseña', rules: 'Reglas de la contraseña', mustHave: 'Su contraseña debe tener:' },
    passwordRules: {
      text: {
        too_short: 'Al menos {count} caracteres',
        needs_upper: 'Una letra mayúscula (A–Z)',
        needs_lower: 'Una letra minúscula (a–z)',
        needs_digit: 'Un dígito (0–9)',
        needs_symbol: 'Un símbolo, como ! # $ % o *',
        contains_username: 'Que no contenga su nombre de usuario',
        reused: 'Que no sea una de sus últimas {count} contraseñas',
        common: 'Que no sea una contraseña de uso común',
        too_long: 'Como máximo {count} caracteres',
      },
      message: {
        too_short: 'Su contraseña nueva debe tener al menos {count} caracteres.',
        needs_upper: 'Su contraseña nueva debe contener una letra mayúscula (A–Z).',
        needs_lower: 'Su contraseña nueva debe contener una letra minúscula (a–z).',
        needs_digit: 'Su contraseña nueva debe contener un dígito (0–9).',
        needs_symbol: 'Su contraseña nueva debe contener un símbolo, como ! # $ % o *.',
        contains_username: 'Su contraseña nueva no debe contener su nombre de usuario.',
        reused: 'Su contraseña nueva no debe ser una de sus últimas {count} contraseñas.',
        common: 'Esta contraseña es de uso demasiado común y fácil de adivinar. Elija otra.',
        too_long: 'Su contraseña nueva debe tener como máximo {count} caracteres.',
      },
    },
    steps: {
      changeTitle: 'Cambie su contraseña',
      temporary: 'Inició sesión con una contraseña temporal. Elija su propia contraseña para continuar.',
      expired: 'Su contraseña venció. Elija una contraseña nueva para continuar.',
      expiringTitle: 'Su contraseña vence pronto',
      expiring_one: 'Su contraseña vence en {count} día. Cámbiela ahora para que no se le bloquee el acceso a sus aplicaciones.',
      expiring_other: 'Su contraseña vence en {count} días. Cámbiela ahora para que no se le bloquee el acceso a sus aplicaciones.',
      changePassword: 'Cambiar contraseña',
      questionsTitle: 'Configure sus preguntas de seguridad',
      questionsIntro: 'Elija tres preguntas distintas y dé respuestas que solo usted sepa. Las contestará si alguna vez olvida su contraseña. Las respuestas no distinguen entre mayúsculas y minúsculas.',
    },
    aua: {
      title: 'Acuerdo de Uso Aceptable de HHS',
      textLabel: 'Texto del acuerdo',
      version: 'Versión {version}',
      agree: 'Acepto',
      decline: 'No acepto',
      englishOnly: 'Esta versión del acuerdo está disponible solo en inglés.',
    },
    questions: { legend: 'Pregunta de seguridad {number}', question: 'Pregunta', choose: 'Elija una pregunta', response: 'Respuesta' },
    recovery: {
      title: '¿Olvidó su contraseña?',
      enterUsername: 'Ingrese su nombre de usuario para restablecer su contraseña.',
      username: 'Nombre de usuario:',
      next: 'Siguiente',
      startOver: 'Empezar de nuevo',
      chooseTitle: '¿Cómo quiere restablecer su contraseña?',
      chooseOne: 'Elija una opción',
      byEmail: 'Enviarme por correo electrónico un código de seguridad de un solo uso',
      byQuestions: 'Contestar mis preguntas de seguridad',
      codeTitle: 'Ingrese su código de seguridad',
      codeResent: 'Le enviamos un código nuevo. Solo sirve el código más reciente.',
      codeSent: 'Si su nombre de usuario y su respuesta coinciden con nuestros registros, le enviamos un código de seguridad al correo electrónico de su cuenta. Es válido por {minutes} minutos y sirve una sola vez.',
      codeLabel: 'Código de seguridad',
      resend: 'Enviar un código nuevo',
      answerTitle: 'Conteste sus preguntas de seguridad',
      newTitle: 'Elija una contraseña nueva',
      refusedTitle: 'No se restableció la contraseña',
      refused: 'Su contraseña ya se restableció en las últimas 24 horas. Una contraseña se puede restablecer una vez al día.',
      knowCurrent: 'Si sabe su contraseña actual, todavía puede iniciar sesión con ella.',
      doneTitle: 'Se restableció su contraseña',
      done: 'Se restableció su contraseña y se desbloqueó su cuenta. Se cerraron todas sus sesiones.',
      goPortal: 'Vaya a HHS Enterprise Portal',
      andSignIn: 'e inicie sesión con su contraseña nueva.',
    },
    securityQuestions: {
      'first-pet': '¿Cómo se llamaba su primera mascota?',
      'childhood-street': '¿Cómo se llamaba la calle donde vivía de niño?',
      'childhood-best-friend': '¿Cuál era el nombre de su mejor amigo de la infancia?',
      'first-car': '¿Cuál fue la marca y el modelo de su primer carro?',
      'first-employer': '¿Cómo se llamaba su primer empleador?',
      'first-job-city': '¿En qué ciudad o pueblo tuvo su primer trabajo?',
      'favorite-teacher': '¿Cuál era el apellido de su maestro favorito?',
      'parents-met-city': '¿En qué ciudad o pueblo se conocieron sus padres?',
      'oldest-cousin': '¿Cuál es el nombre de su primo mayor?',
      'first-concert': '¿Cuál fue el primer concierto al que asistió?',
      'childhood-hero': '¿Quién era su héroe de la infancia?',
      'childhood-book': '¿Cuál era su libro favorito de niño?',
      'childhood-nickname': '¿Cuál era su apodo de la infancia?',
      'grandmother-first-name': '¿Cuál es el nombre de su abuela materna?',
      'first-stuffed-animal': '¿Cómo se llamaba su primer peluche o juguete?',
    },
  },
};

addCatalogue('portal', signInCatalogue);

/**
 * A security question as the page's reader reads it: a seeded question (its id and its English
 * words as shipped) in the page's language; a question an administrator added or reworded has
 * only the words it was given.
 */
export function questionText(question: SecurityQuestion): string {
  if (currentPageContext().locale === 'en' || findSecurityQuestion(question.id)?.text !== question.text) return question.text;
  return t(`securityQuestions.${question.id}`);
}
