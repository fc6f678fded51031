import type { Catalogue, Locale } from '../i18n.js';

/** The chrome's words (banner, header, footer, idle warning) in every language. */
export const chromeCatalogue: Record<Locale, Catalogue> = {
  en: {
    skip: 'Skip to main content',
    supportSentence: 'Contact Customer Support: {phone}, or {email}',
    banner: {
      label: 'Official website of the State of {state}',
      official: 'An official website of the State of {state}',
      howYouKnow: 'Here’s how you know',
      domainTitle: 'Official websites use {domain}',
      domainText: 'A {domain} website belongs to an official government organization in {state}.',
      httpsTitle: 'Secure {domain} websites use HTTPS',
      httpsText: 'A lock or https:// means you’ve safely connected to the {domain} website. Share sensitive information only on official, secure websites.',
    },
    header: { account: 'Account', language: 'Language' },
    footer: {
      label: 'Site policies and help',
      accessibility: 'Accessibility',
      privacy: 'Privacy and security',
      support: 'Customer Support:',
    },
    account: { signOut: 'Sign Out', myProfile: 'My Profile', portal: 'Enterprise Portal', forms: 'Forms', userTraining: 'User Training', changePassword: 'Change Password' },
    idle: {
      title: 'Are you still there?',
      text: 'For your security, you will be signed out in {countdown} because you have been inactive.',
      textApp: 'For your security, you will be signed out of {app} in {countdown} because you have been inactive.',
      stay: 'Stay signed in',
      signOutNow: 'Sign Out now',
      minutes: '{n} minutes',
      minute: '1 minute',
      seconds: '{n} seconds',
      second: '1 second',
    },
  },
  es: {
    skip: 'Ir al contenido principal',
    supportSentence: 'Comuníquese con Atención al Cliente: {phone}, o {email}',
    banner: {
      label: 'Sitio web oficial del Estado de {state}',
      official: 'Un sitio web oficial del Estado de {state}',
      howYouKnow: 'Así es como usted puede verificarlo',
      domainTitle: 'Los sitios web oficiales usan {domain}',
      domainText: 'Un sitio web {domain} pertenece a una organización oficial del gobierno de {state}.',
      httpsTitle: 'Los sitios web seguros {domain} usan HTTPS',
      httpsText: 'Un candado o https:// significa que usted se conectó de forma segura al sitio web {domain}. Comparta información sensible solo en sitios web oficiales y seguros.',
    },
    header: { account: 'Cuenta', language: 'Idioma' },
    footer: {
      label: 'Políticas del sitio y ayuda',
      accessibility: 'Accesibilidad',
      privacy: 'Privacidad y seguridad',
      support: 'Atención al Cliente:',
    },
    account: { signOut: 'Cerrar sesión', myProfile: 'Mi perfil', portal: 'Enterprise Portal', forms: 'Formularios', userTraining: 'Capacitación', changePassword: 'Cambiar contraseña' },
    idle: {
      title: '¿Sigue ahí?',
      text: 'Por su seguridad, su sesión se cerrará en {countdown} porque ha estado inactivo.',
      textApp: 'Por su seguridad, su sesión de {app} se cerrará en {countdown} porque ha estado inactivo.',
      stay: 'Seguir conectado',
      signOutNow: 'Cerrar sesión ahora',
      minutes: '{n} minutos',
      minute: '1 minuto',
      seconds: '{n} segundos',
      second: '1 segundo',
    },
  },
};
