import {
  findSecurityQuestion,
  normalizeAnswer,
  plausibleQuestionFor,
  securityQuestions,
} from './security-questions.js';

const secret = 's'.repeat(43);

test('the catalogue offers at least 12 distinct questions with distinct, stable ids', () => {
  expect(securityQuestions.length).toBeGreaterThanOrEqual(12);
  expect(new Set(securityQuestions.map((q) => q.id)).size).toBe(securityQuestions.length);
  expect(new Set(securityQuestions.map((q) => q.text)).size).toBe(securityQuestions.length);
  for (const q of securityQuestions) {
    expect(q.id).toMatch(/^[a-z0-9-]+$/);
    expect(q.text).toMatch(/\?$/);
  }
  expect(findSecurityQuestion('first-pet')?.text).toBe('What was the name of your first pet?');
  expect(findSecurityQuestion('no-such-question')).toBeUndefined();
});

test('answers typed with different case, spacing and punctuation normalise alike', () => {
  expect(normalizeAnswer('  Main   Street ')).toBe('main street');
  expect(normalizeAnswer('main street')).toBe('main street');
  expect(normalizeAnswer('MAIN\tSTREET\n')).toBe('main street');
  expect(normalizeAnswer("St. Mary's")).toBe(normalizeAnswer('st marys'));
  expect(normalizeAnswer('Smith-Jones')).toBe(normalizeAnswer('smith jones'));
  expect(normalizeAnswer('Ｆｏｒｄ　Ｆ－１５０')).toBe('ford f 150'); // full-width letters and space
  expect(normalizeAnswer('1999 Ford F-150')).toBe('1999 ford f 150');
});

test('normalising keeps what tells answers apart', () => {
  expect(normalizeAnswer('José')).toBe('josé');
  expect(normalizeAnswer('José')).not.toBe(normalizeAnswer('Jose'));
  expect(normalizeAnswer('Fluffy 2')).not.toBe(normalizeAnswer('Fluffy'));
  expect(normalizeAnswer('Москва')).toBe('москва');
  expect(normalizeAnswer(' ?!. ')).toBe('');
});

test('an unknown username is shown the same catalogue question on every visit', () => {
  const first = plausibleQuestionFor('nobody-here', secret);
  expect(securityQuestions).toContain(first);
  expect(plausibleQuestionFor('nobody-here', secret)).toBe(first);
});

test('different usernames are spread over the catalogue, and the choice depends on the server key', () => {
  const chosen = new Set(Array.from({ length: 200 }, (_, i) => plausibleQuestionFor(`user${i}`, secret).id));
  expect(chosen.size).toBe(securityQuestions.length);
  const otherKey = Array.from({ length: 50 }, (_, i) => plausibleQuestionFor(`user${i}`, 'k'.repeat(43)).id);
  const sameKey = Array.from({ length: 50 }, (_, i) => plausibleQuestionFor(`user${i}`, secret).id);
  expect(otherKey).not.toEqual(sameKey);
});

test("for a real account the question is one of the person's own, stably", () => {
  const own = securityQuestions.slice(3, 6);
  const shown = plausibleQuestionFor('jsmith', secret, own);
  expect(own).toContain(shown);
  expect(plausibleQuestionFor('jsmith', secret, own)).toBe(shown);
  expect(() => plausibleQuestionFor('jsmith', secret, [])).toThrow();
});
