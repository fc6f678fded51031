import { currentPageContext } from '@portal/common';

/**
 * The HHS Acceptable Use Agreement shown before anything else (SPEC §3.3). Publishing a new text
 * means a new `version` here (or in the aua_versions table): everyone is asked again.
 */
export const currentAua = {
  version: '2026-01',
  text: `HHS Acceptable Use Agreement

You are accessing a State of Texas information system. Use of this system is limited to authorized users for purposes of the Texas Department of State Health Services immunization program.

By selecting "I Agree" you agree that:
1. You will use this system and the information in it only to perform your assigned duties, and only for the organizations you are authorized to act for.
2. You will protect confidential information, including immunization records and other protected health information, as required by Texas Health and Safety Code Chapter 161, HIPAA and agency policy. You will not disclose it to anyone who is not authorized to receive it.
3. You will keep your password and security answers secret, will not share your account, and will not let anyone else use your session. You will sign out or lock your screen when you leave your computer.
4. You will report any known or suspected security incident or misuse to Customer Support immediately.
5. Your use of this system is monitored and recorded. There is no expectation of privacy. Unauthorized use may result in the loss of access, disciplinary action, and civil or criminal penalties.

If you do not agree, select "Decline": you will be signed out.`,
} as const;

/**
 * The agreement in Spanish, by version: a faithful translation of each version the portal ships.
 * A version an administrator publishes has only the text given (English); a Spanish reader sees
 * it with a note that it is in English only. Accepting is per version, whichever language was read.
 */
const spanishTexts: Readonly<Record<string, string>> = {
  '2026-01': `Acuerdo de Uso Aceptable de HHS

Usted está entrando a un sistema de información del Estado de Texas. El uso de este sistema está limitado a usuarios autorizados para los fines del programa de vacunación del Departamento Estatal de Servicios de Salud de Texas.

Al seleccionar «Acepto», usted acepta que:
1. Usará este sistema y la información que contiene solo para realizar las tareas que se le asignaron, y solo para las organizaciones en cuyo nombre está autorizado a actuar.
2. Protegerá la información confidencial, incluidos los registros de vacunación y otra información de salud protegida, como lo exigen el Capítulo 161 del Código de Salud y Seguridad de Texas, HIPAA y las políticas de la agencia. No la revelará a nadie que no esté autorizado a recibirla.
3. Mantendrá en secreto su contraseña y sus respuestas de seguridad, no compartirá su cuenta y no permitirá que otra persona use su sesión. Cerrará la sesión o bloqueará su pantalla cuando se aleje de su computadora.
4. Informará de inmediato a Atención al Cliente sobre cualquier incidente de seguridad o uso indebido, conocido o sospechado.
5. El uso que haga de este sistema se vigila y se registra. No hay expectativa de privacidad. El uso no autorizado puede causar la pérdida del acceso, medidas disciplinarias y sanciones civiles o penales.

Si no está de acuerdo, seleccione «No acepto»: se cerrará su sesión.`,
};

/** The text of `version` in the page's language, and whether it had to stay in English. */
export function auaTextIn(version: string, englishText: string): { text: string; inEnglishOnly: boolean } {
  if (currentPageContext().locale !== 'es') return { text: englishText, inEnglishOnly: false };
  // The shipped translation is of the shipped English: a version re-published with other words has none.
  const shipped = version === currentAua.version && englishText === currentAua.text;
  const spanish = shipped ? spanishTexts[version] : undefined;
  return spanish ? { text: spanish, inEnglishOnly: false } : { text: englishText, inEnglishOnly: true };
}
