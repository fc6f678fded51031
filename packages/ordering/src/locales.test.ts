import { defaultAgency, runWithPageContext, untranslated } from '@portal/common';
import { OrderingError, orderingErrorCodes } from './libraries/errors.js';
import { orderPackages } from './libraries/input.js';
import './locales.js';

const spanish = <T>(work: () => T) => runWithPageContext({ agency: defaultAgency, locale: 'es' }, work);

test('Spanish has every English string of VAOS, with the same placeholders', () => {
  expect(untranslated('es', ['ordering'])).toEqual([]);
});

test('every coded refusal has its words in both languages', () => {
  for (const code of orderingErrorCodes) {
    const english = new OrderingError(code, 400);
    const foreign = spanish(() => new OrderingError(code, 400));
    expect(english.title).not.toMatch(/^errors\./);
    expect([foreign.title, foreign.text]).not.toEqual([english.title, english.text]);
  }
  expect(spanish(() => new OrderingError('order.not_found', 404).title)).toBe('No se encontró el pedido');
});

test('a form is answered in the language of the page that sent it, by the same schema', () => {
  expect(orderPackages.safeParse('-3').error?.issues[0]?.message).toBe('The number of packages cannot be negative: enter a number of packages from 1 to 999.');
  expect(spanish(() => orderPackages.safeParse('2.5').error?.issues[0]?.message)).toBe('El número de paquetes debe ser un número entero de paquetes, sin fracciones.');
});
