import { addCatalogue, type Catalogue, type Locale } from '@portal/common';
import { t } from './portal.js';

export { t };

/** Two-step verification as a sign-in meets it: the code step, setting up an app, the recovery codes. */
export const twoStepCatalogue: Record<Locale, Catalogue> = {
  en: {
    twoStep: {
      title: 'Two-Step Verification',
      openApp: 'Open the authenticator app on your phone and enter the 6-digit code it shows for the HHS Enterprise Portal.',
      code: 'Code',
      codeHint: 'No phone? Enter one of your recovery codes instead (for example abcde-fghjk). Each works once.',
      verify: 'Verify',
      usePasskey: 'Use a Passkey',
      passkeyHint: 'Use the passkey you added to your account: your device asks for your fingerprint, face or screen lock.',
      noPasskeys: 'This browser cannot use passkeys (or JavaScript is off). Sign in from a browser that can, or ask Customer Support.',
      setUpTitle: 'Set Up Two-Step Verification',
      required: 'Your role requires two-step verification. Set up an authenticator app to continue.',
      install: 'Install an authenticator app on your phone (for example Microsoft Authenticator, Google Authenticator or Authy).',
      scan: 'In the app, add an account and scan this code:',
      qrAlt: 'QR code for adding the HHS Enterprise Portal to an authenticator app. If you cannot scan it, type the key shown below.',
      byHand: 'Cannot scan it? Choose to enter a key by hand, and type this key (spaces do not matter):',
      key: 'Key',
      enterCode: 'Enter the 6-digit code the app now shows.',
      codeFromApp: 'Code from the app',
      codeFromAppHint: 'The code changes every 30 seconds; enter the one shown now.',
      turnOn: 'Turn On Two-Step Verification',
      cancel: 'Cancel',
      codesTitle: 'Your Recovery Codes',
      isOn: 'Two-step verification is on.',
      codesExplained: 'If you lose your phone, sign in with one of these codes instead of a code from the app. Each works once. Print them or write them down and keep them somewhere safe:',
      shownOnce: 'they are shown only now',
      codesGone: 'Your recovery codes were shown when they were made and cannot be shown again. If you did not keep them, make new ones from My Profile.',
      savedContinue: 'I Have Saved My Codes — Continue',
      saved: 'I Have Saved My Codes',
    },
  },
  es: {
    twoStep: {
      title: 'Verificación en dos pasos',
      openApp: 'Abra la aplicación de autenticación de su teléfono e ingrese el código de 6 dígitos que muestra para HHS Enterprise Portal.',
      code: 'Código',
      codeHint: '¿No tiene el teléfono? Ingrese uno de sus códigos de recuperación (por ejemplo abcde-fghjk). Cada uno sirve una sola vez.',
      verify: 'Verificar',
      usePasskey: 'Usar una llave de acceso',
      passkeyHint: 'Use la llave de acceso que agregó a su cuenta: su dispositivo le pide su huella, su cara o el bloqueo de pantalla.',
      noPasskeys: 'Este navegador no puede usar llaves de acceso (o JavaScript está desactivado). Inicie sesión desde un navegador que pueda, o pida ayuda a Atención al Cliente.',
      setUpTitle: 'Configure la verificación en dos pasos',
      required: 'Su rol exige la verificación en dos pasos. Configure una aplicación de autenticación para continuar.',
      install: 'Instale una aplicación de autenticación en su teléfono (por ejemplo Microsoft Authenticator, Google Authenticator o Authy).',
      scan: 'En la aplicación, agregue una cuenta y escanee este código:',
      qrAlt: 'Código QR para agregar HHS Enterprise Portal a una aplicación de autenticación. Si no puede escanearlo, escriba la clave que aparece abajo.',
      byHand: '¿No puede escanearlo? Elija ingresar una clave a mano y escriba esta clave (los espacios no importan):',
      key: 'Clave',
      enterCode: 'Ingrese el código de 6 dígitos que la aplicación muestra ahora.',
      codeFromApp: 'Código de la aplicación',
      codeFromAppHint: 'El código cambia cada 30 segundos; ingrese el que se muestra ahora.',
      turnOn: 'Activar la verificación en dos pasos',
      cancel: 'Cancelar',
      codesTitle: 'Sus códigos de recuperación',
      isOn: 'La verificación en dos pasos está activada.',
      codesExplained: 'Si pierde su teléfono, inicie sesión con uno de estos códigos en lugar de un código de la aplicación. Cada uno sirve una sola vez. Imprímalos o anótelos y guárdelos en un lugar seguro:',
      shownOnce: 'solo se muestran ahora',
      codesGone: 'Sus códigos de recuperación se mostraron cuando se crearon y no se pueden volver a mostrar. Si no los guardó, cree otros nuevos desde Mi perfil.',
      savedContinue: 'Ya guardé mis códigos — Continuar',
      saved: 'Ya guardé mis códigos',
    },
  },
};

addCatalogue('portal', twoStepCatalogue);
