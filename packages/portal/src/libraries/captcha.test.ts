import { createCaptchas, svgCaptchaGenerator } from './captcha.js';
import type { CaptchaAudio } from './captcha-audio.js';
import type { CaptchaQueries } from '../queries/captchas.js';
import { createSealer } from './sealed.js';

/** The captchas table as a map: what the library stores and reads, nothing more. */
function memoryQueries() {
  const rows = new Map<string, { id: string; binding: string; answer_hash: string; answer_sealed: string; expires_at: number }>();
  const queries: CaptchaQueries = {
    insert: async (row) => void rows.set(row.id, row),
    consume: async (id, binding, now) => {
      const row = rows.get(id);
      rows.delete(id);
      return row && row.binding === binding && row.expires_at > now ? row.answer_hash : undefined;
    },
    findLive: async (id, binding, now) => {
      const row = rows.get(id);
      return row && row.binding === binding && row.expires_at > now ? row.answer_sealed : undefined;
    },
    withdraw: async (id, binding) => (rows.get(id)?.binding === binding ? rows.delete(id) : false),
    deleteExpired: async () => 0,
  };
  return { rows, queries };
}

function setUp(audioAvailable = true) {
  const { rows, queries } = memoryQueries();
  const spoken: { text: string; seed: string }[] = [];
  const audio: CaptchaAudio = {
    available: async () => audioAvailable,
    speak: async (text, seed) => (spoken.push({ text, seed: seed.toString('hex') }), Buffer.from('RIFF')),
  };
  let now = 1_000_000;
  let n = 0;
  const captchas = createCaptchas({
    queries,
    clock: { now: () => now },
    key: 'k'.repeat(32),
    sealer: createSealer('s'.repeat(32)),
    audio,
    generate: () => ({ svg: '<svg/>', text: `${++n}2345` }),
  });
  return { captchas, rows, spoken, later: (ms: number) => (now += ms) };
}

test('the default picture is five digits, so the picture and the recording have one answer a listener can type', () => {
  for (let i = 0; i < 20; i++) {
    const { svg, text } = svgCaptchaGenerator();
    expect(text).toMatch(/^\d{5}$/);
    expect(svg).toMatch(/^<svg/);
  }
});

test('the recording speaks the answer of the same record, for its own binding only, until the answer is checked', async () => {
  const { captchas, rows, spoken } = setUp();
  const shown = await captchas.create('interaction:a');
  expect(shown.audio).toBe(true);
  // The row keeps the answer hashed and sealed, never in clear.
  expect(JSON.stringify([...rows.values()])).not.toContain('12345');

  expect(await captchas.audio(shown.id, 'interaction:b')).toBeUndefined();
  expect(await captchas.audio('no-such-id', 'interaction:a')).toBeUndefined();
  expect(await captchas.audio(shown.id, 'interaction:a')).toEqual(Buffer.from('RIFF'));
  await captchas.audio(shown.id, 'interaction:a');
  expect(spoken.map((s) => s.text)).toEqual(['12345', '12345']);
  expect(spoken[0]!.seed).toBe(spoken[1]!.seed); // the same sound each time: no averaging the noise away
  expect(spoken[0]!.seed).not.toContain('12345');

  // A listener may type spaces; the check is the picture's check, and it works once.
  expect(await captchas.check(shown.id, ' 1 2 3 4 5 ', 'interaction:a')).toBe(true);
  expect(await captchas.check(shown.id, '12345', 'interaction:a')).toBe(false);
  expect(await captchas.audio(shown.id, 'interaction:a')).toBeUndefined();
});

test('a sealed answer moved to another record does not open', async () => {
  const { captchas, rows, spoken } = setUp();
  const first = await captchas.create('interaction:a');
  const second = await captchas.create('interaction:a');
  rows.get(second.id)!.answer_sealed = rows.get(first.id)!.answer_sealed;
  expect(await captchas.audio(second.id, 'interaction:a')).toBeUndefined();
  expect(spoken).toEqual([]);
});

test('a withdrawn CAPTCHA is neither heard nor accepted; another binding cannot withdraw it', async () => {
  const { captchas } = setUp();
  const shown = await captchas.create('interaction:a');
  expect(await captchas.withdraw(shown.id, 'interaction:b')).toBe(false);
  expect(await captchas.withdraw(undefined, 'interaction:a')).toBe(false);
  expect(await captchas.withdraw(shown.id, 'interaction:a')).toBe(true);
  expect(await captchas.audio(shown.id, 'interaction:a')).toBeUndefined();
  expect(await captchas.check(shown.id, '12345', 'interaction:a')).toBe(false);
});

test('an expired CAPTCHA has no recording; without espeak-ng none is offered', async () => {
  const { captchas, later } = setUp();
  const shown = await captchas.create('interaction:a');
  later(10 * 60_000);
  expect(await captchas.audio(shown.id, 'interaction:a')).toBeUndefined();

  const bare = setUp(false);
  const picture = await bare.captchas.create('interaction:a');
  expect(picture.audio).toBe(false);
  expect(await bare.captchas.audio(picture.id, 'interaction:a')).toBeUndefined();
  expect(bare.spoken).toEqual([]);
});
