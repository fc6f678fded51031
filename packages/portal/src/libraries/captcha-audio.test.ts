import { createCaptchaAudio } from './captcha-audio.js';
import { createLogger } from './logger.js';
import { parseWav } from './wav.js';

/** A logger whose warnings the test reads. */
function recordingLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger('warn', { write: (line: string) => lines.push(line) }) };
}

// espeak-ng is installed wherever the tests run (CI installs it: .ci); its absence is tested below.
test('speaks the characters as a 16-bit mono WAV, the same bytes for the same seed, other bytes for another', async () => {
  const audio = createCaptchaAudio({ espeakPath: 'espeak-ng', logger: recordingLogger().logger });
  expect(await audio.available()).toBe(true);
  const first = await audio.speak('47291', Buffer.from('seed-a'));
  const pcm = parseWav(first);
  expect(pcm.sampleRate).toBeGreaterThanOrEqual(16000);
  // Five digits twice with an instruction and pauses: well over five seconds, and not silence.
  expect(pcm.samples.length / pcm.sampleRate).toBeGreaterThan(5);
  expect(pcm.samples.reduce((peak, s) => Math.max(peak, Math.abs(s)), 0)).toBeGreaterThan(5000);
  expect((await audio.speak('47291', Buffer.from('seed-a'))).equals(first)).toBe(true);
  expect((await audio.speak('47291', Buffer.from('seed-b'))).equals(first)).toBe(false);
});

test('without espeak-ng: not available, said once in the log, and speaking fails without naming the characters', async () => {
  const { lines, logger } = recordingLogger();
  const audio = createCaptchaAudio({ espeakPath: '/nonexistent/espeak-ng', logger });
  expect(await audio.available()).toBe(false);
  expect(await audio.available()).toBe(false);
  expect(lines.filter((l) => l.includes('CAPTCHA audio unavailable'))).toHaveLength(1);
  await expect(audio.speak('47291', Buffer.from('s'))).rejects.toThrow(/^espeak-ng could not start \(ENOENT\)$/);

  const off = createCaptchaAudio({ espeakPath: undefined, logger });
  expect(await off.available()).toBe(false);
});

test('at most maxConcurrent recordings at once and a bounded queue: beyond it a request is refused, not queued', async () => {
  const audio = createCaptchaAudio({ espeakPath: 'espeak-ng', logger: recordingLogger().logger, maxConcurrent: 1, maxWaiting: 1 });
  const results = await Promise.allSettled([1, 2, 3].map((n) => audio.speak('12', Buffer.from(`s${n}`))));
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  // The slots are given back: the next one is made.
  await expect(audio.speak('12', Buffer.from('s4'))).resolves.toBeInstanceOf(Buffer);
});
