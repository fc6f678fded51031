import { catalogueKeys, runWithPageContext, defaultAgency } from '@portal/common';
import { messageFor, messages } from '../libraries/errors.js';
import { messagesEs } from './messages-es.js';

test('every coded message has its Spanish, with the same placeholders', () => {
  expect(Object.keys(messagesEs).sort()).toEqual(Object.keys(messages).sort());
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(messages) as (keyof typeof messages)[]) expect([key, placeholders(messagesEs[key])]).toEqual([key, placeholders(messages[key])]);
  expect(catalogueKeys(messagesEs).length).toBe(Object.keys(messages).length);
});

test('a message comes in the page\'s language, its support sentence too', () => {
  const support = 'Contact Customer Support: 800-348-9158, option 2, or ImmTrac2@dshs.texas.gov';
  expect(messageFor('signin.locked', { support })).toBe(`Your account is locked because of too many unsuccessful sign-in attempts. Reset your password below. ${support}`);
  const es = runWithPageContext({ agency: defaultAgency, locale: 'es' }, () => messageFor('signin.locked', { support }));
  expect(es).toBe('Su cuenta está bloqueada por demasiados intentos fallidos de inicio de sesión. Restablezca su contraseña abajo. Comuníquese con Atención al Cliente: 800-348-9158, option 2, o ImmTrac2@dshs.texas.gov');
  expect(runWithPageContext({ agency: defaultAgency, locale: 'es' }, () => messageFor('admin.invalid', { problems: 'x' }))).toBe('Corrija esto: x');
});
