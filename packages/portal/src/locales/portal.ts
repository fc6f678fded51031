import { addCatalogue, coordinatorLabel, currentPageContext, roleLabel, translate, type Catalogue, type Coordinator, type Locale, type RegistryRole } from '@portal/common';

/**
 * The portal's pages in every language, one group per page or piece. Views call `t('group.key')`;
 * the language is the request's (page context). A key missing in Spanish shows English, and
 * locales.test.ts fails the build before that can ship.
 */
export const portalCatalogue: Record<Locale, Catalogue> = {
  en: {
    common: { signIn: 'Sign In', signOut: 'Sign Out', staySignedIn: 'Stay signed in', continue: 'Continue', submit: 'Submit', home: 'Go to the Enterprise Portal home', reference: 'Reference:', startAgain: 'Start again' },
    signIn: {
      title: 'Sign In',
      continueTo: 'to continue to {app}',
      username: 'Username',
      password: 'Password',
      or: 'or',
      passkey: 'Sign In with a Passkey',
      forgot: 'Forgot Password',
    },
    signedOut: {
      title: 'You have signed out',
      message: 'You have signed out of the HHS Enterprise Portal and its applications.',
      idle_one: 'You were signed out because you were inactive for more than {count} minute. Sign in again to continue.',
      idle_other: 'You were signed out because you were inactive for more than {count} minutes. Sign in again to continue.',
      declined: 'You declined the HHS Acceptable Use Agreement, so you have been signed out. You must accept it to use the portal and its applications.',
      changedMind: 'Changed your mind? Sign in again and choose I Agree.',
    },
    signOut: {
      question: 'Sign out of the HHS Enterprise Portal and every application you opened with it?',
      confirmTitle: 'Sign out of the HHS Enterprise Portal?',
      confirmText: 'This signs you out of the portal and of every application you opened with it.',
      signingOutTitle: 'Signing you out',
      signingOutFrom: 'You chose Sign Out in {app}. This signs you out of the HHS Enterprise Portal and of every application you opened with it.',
      signingOut: 'You chose Sign Out. This signs you out of the HHS Enterprise Portal and of every application you opened with it.',
    },
    errors: {
      notFound: 'Page not found',
      wait: 'Please wait',
      server: 'Something went wrong',
      refused: 'This request could not be completed',
      forgotPassword: 'Forgot Password',
    },
    oauth: {
      misconfiguredTitle: 'This application is not set up correctly',
      misconfigured: 'The application you came from asked the HHS Enterprise Portal for something it is not registered for, so you cannot sign in to it from there. Contact Customer Support and give them the reference below.',
      deniedTitle: 'You cannot use this application',
      denied: 'Your account does not give you access to the application you came from. If you think it should, contact Customer Support and give them the reference below.',
      failedTitle: 'This sign-in could not be completed',
      failed: 'The request from the application was incomplete or has expired. Go back to the application and start again. If this keeps happening, contact Customer Support and give them the reference below.',
    },
  },
  es: {
    common: { signIn: 'Iniciar sesión', signOut: 'Cerrar sesión', staySignedIn: 'Seguir conectado', continue: 'Continuar', submit: 'Enviar', home: 'Ir a la página principal del Enterprise Portal', reference: 'Referencia:', startAgain: 'Empezar de nuevo' },
    signIn: {
      title: 'Iniciar sesión',
      continueTo: 'para continuar a {app}',
      username: 'Nombre de usuario',
      password: 'Contraseña',
      or: 'o',
      passkey: 'Iniciar sesión con una llave de acceso',
      forgot: '¿Olvidó su contraseña?',
    },
    signedOut: {
      title: 'Cerró su sesión',
      message: 'Cerró su sesión de HHS Enterprise Portal y de sus aplicaciones.',
      idle_one: 'Se cerró su sesión porque estuvo inactivo más de {count} minuto. Inicie sesión de nuevo para continuar.',
      idle_other: 'Se cerró su sesión porque estuvo inactivo más de {count} minutos. Inicie sesión de nuevo para continuar.',
      declined: 'Usted no aceptó el Acuerdo de Uso Aceptable de HHS, así que se cerró su sesión. Debe aceptarlo para usar el portal y sus aplicaciones.',
      changedMind: '¿Cambió de opinión? Inicie sesión de nuevo y elija «Acepto».',
    },
    signOut: {
      question: '¿Cerrar su sesión de HHS Enterprise Portal y de todas las aplicaciones que abrió con él?',
      confirmTitle: '¿Cerrar su sesión de HHS Enterprise Portal?',
      confirmText: 'Esto cierra su sesión del portal y de todas las aplicaciones que abrió con él.',
      signingOutTitle: 'Cerrando su sesión',
      signingOutFrom: 'Usted eligió «Cerrar sesión» en {app}. Esto cierra su sesión de HHS Enterprise Portal y de todas las aplicaciones que abrió con él.',
      signingOut: 'Usted eligió «Cerrar sesión». Esto cierra su sesión de HHS Enterprise Portal y de todas las aplicaciones que abrió con él.',
    },
    errors: {
      notFound: 'No se encontró la página',
      wait: 'Espere, por favor',
      server: 'Algo salió mal',
      refused: 'No se pudo completar esta solicitud',
      forgotPassword: '¿Olvidó su contraseña?',
    },
    oauth: {
      misconfiguredTitle: 'Esta aplicación no está configurada correctamente',
      misconfigured: 'La aplicación de la que viene le pidió a HHS Enterprise Portal algo para lo que no está registrada, así que no puede iniciar sesión en ella desde allí. Comuníquese con Atención al Cliente y deles la referencia de abajo.',
      deniedTitle: 'No puede usar esta aplicación',
      denied: 'Su cuenta no le da acceso a la aplicación de la que viene. Si cree que debería tenerlo, comuníquese con Atención al Cliente y deles la referencia de abajo.',
      failedTitle: 'No se pudo completar este inicio de sesión',
      failed: 'La solicitud de la aplicación estaba incompleta o venció. Vuelva a la aplicación y empiece de nuevo. Si esto sigue pasando, comuníquese con Atención al Cliente y deles la referencia de abajo.',
    },
  },
};

addCatalogue('portal', portalCatalogue);

/** A portal string in the current page's language. */
export function t(key: string, values?: Record<string, unknown>): string {
  return translate('portal', key, values);
}

/** A registry role's name ("Provider Supervisor") in the current page's language. */
export function roleName(role: RegistryRole): string {
  return roleLabel(role, currentPageContext().locale);
}

/** "Primary Vaccine Coordinator" in the current page's language. */
export function coordinatorName(coordinator: Coordinator | null): string | undefined {
  return coordinatorLabel(coordinator, currentPageContext().locale);
}
