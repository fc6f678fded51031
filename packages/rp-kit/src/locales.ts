import { addCatalogue, translate, type Catalogue, type Locale } from '@portal/common';
import type { MessageKey } from './errors.js';

/**
 * rp-kit's own pages in every language (namespace `apps`): the sign-in and sign-out pages, and
 * the titles of the coded errors every app shares (their messages, by code: `apps-messages`).
 * The apps' own pages are theirs to translate; the shared chrome
 * around them is `chrome` in @portal/common. The same English words have the same Spanish as in
 * the portal (the accessibility sweep finds a page's Spanish words from its English ones).
 */
export const appsCatalogue: Record<Locale, Catalogue> = {
  en: {
    titles: {
      login: { expired: 'Your sign-in expired', denied: 'Access denied', failed: 'Sign-in failed' },
      portal: { unreachable: 'Enterprise Portal unavailable' },
      access: { denied: 'Access denied' },
      page: { not_found: 'Page not found' },
      server: { error: 'Something went wrong' },
      other: 'This request could not be completed',
    },
    session: {
      signIn: 'Sign In',
      signOut: 'Sign Out',
      cancel: 'Cancel',
      signedOutTitle: 'You have signed out',
      signedOut: 'You have signed out of {app}. To use it again, sign in.',
      signInTo: 'Sign in to {app}',
      toPortal: 'Go to the Enterprise Portal',
      notSignedInTitle: 'You are signed out',
      notSignedIn: 'You are not signed in to {app}.',
      signOutQuestion: 'Sign out of {app}?',
      signOutExplained: 'Signing out also ends your Enterprise Portal session and signs you out of the other applications you opened with it.',
      endedTitle: 'You were signed out',
      endedLifetime: 'You were signed out because your session reached its {hours}-hour limit.',
      endedIdle: 'You were signed out because you were inactive for more than {duration}.',
      signInAgain: 'Sign in again to continue in {app}.',
    },
    units: { minute_one: '{count} minute', minute_other: '{count} minutes', second_one: '{count} second', second_other: '{count} seconds' },
    form: { required: '(required)', optional: '(optional)', checkForm: 'Please check the form', errorTitle: 'Error: {title}' },
    orgs: {
      none: "Your account has no organization access. Ask your organization's supervisor or Customer Support.",
      caption: 'Your organizations',
      organization: 'Organization',
      role: 'Role',
      coordinator: 'Vaccine coordinator',
    },
    coordinators: { primary: 'Primary Vaccine Coordinator', secondary: 'Secondary Vaccine Coordinator' },
  },
  es: {
    titles: {
      login: { expired: 'Su inicio de sesión venció', denied: 'Acceso denegado', failed: 'No se pudo iniciar sesión' },
      portal: { unreachable: 'Enterprise Portal no disponible' },
      access: { denied: 'Acceso denegado' },
      page: { not_found: 'No se encontró la página' },
      server: { error: 'Algo salió mal' },
      other: 'No se pudo completar esta solicitud',
    },
    session: {
      signIn: 'Iniciar sesión',
      signOut: 'Cerrar sesión',
      cancel: 'Cancelar',
      signedOutTitle: 'Cerró su sesión',
      signedOut: 'Cerró su sesión de {app}. Para volver a usarlo, inicie sesión.',
      signInTo: 'Iniciar sesión en {app}',
      toPortal: 'Ir al Enterprise Portal',
      notSignedInTitle: 'Su sesión está cerrada',
      notSignedIn: 'No ha iniciado sesión en {app}.',
      signOutQuestion: '¿Cerrar su sesión de {app}?',
      signOutExplained: 'Al cerrar la sesión también termina su sesión del Enterprise Portal y se cierra su sesión de las demás aplicaciones que abrió con él.',
      endedTitle: 'Se cerró su sesión',
      endedLifetime: 'Se cerró su sesión porque llegó a su límite de {hours} horas.',
      endedIdle: 'Se cerró su sesión porque estuvo inactivo más de {duration}.',
      signInAgain: 'Inicie sesión de nuevo para continuar en {app}.',
    },
    units: { minute_one: '{count} minuto', minute_other: '{count} minutos', second_one: '{count} segundo', second_other: '{count} segundos' },
    form: { required: '(obligatorio)', optional: '(opcional)', checkForm: 'Revise el formulario', errorTitle: 'Error: {title}' },
    orgs: {
      none: 'Su cuenta no tiene acceso a ninguna organización. Pídaselo al supervisor de su organización o a Atención al Cliente.',
      caption: 'Sus organizaciones',
      organization: 'Organización',
      role: 'Rol',
      coordinator: 'Coordinador de vacunas',
    },
    coordinators: { primary: 'Coordinador principal de vacunas', secondary: 'Coordinador secundario de vacunas' },
  },
};

addCatalogue('apps', appsCatalogue);

/** The coded errors' words in Spanish, by code (their English is `messages` in errors.ts). */
export const messagesEs: Readonly<Record<MessageKey, string>> = {
  'login.expired': 'Su inicio de sesión tardó demasiado, ya se completó o se empezó en otra ventana del navegador. Inicie sesión de nuevo.',
  'login.denied': 'El Enterprise Portal no le permitió abrir esta aplicación.',
  'login.failed': 'El Enterprise Portal no pudo completar su inicio de sesión. Inicie sesión de nuevo.',
  'portal.unreachable': 'No se puede conectar con el Enterprise Portal en este momento. Inténtelo de nuevo en un minuto.',
  'request.csrf': 'Su formulario venció o vino de otro sitio. Inténtelo de nuevo.',
  'request.invalid': 'No se entendió la solicitud.',
  'access.denied': 'No tiene acceso a esta página.',
  'page.not_found': 'No hay ninguna página en esta dirección.',
  'server.error': 'Algo salió mal de nuestro lado. Inténtelo de nuevo.',
};

/** An rp-kit string in the current page's language. */
export function t(key: string, values?: Record<string, unknown>): string {
  return translate('apps', key, values);
}
