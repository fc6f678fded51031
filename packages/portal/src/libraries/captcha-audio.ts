import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Logger } from './logger.js';
import { encodeWav, parseWav } from './wav.js';

/**
 * The CAPTCHA's spoken alternative (WCAG 1.1.1; issue #13): the same characters as the picture,
 * spoken by espeak-ng on the server and served as a WAV file.
 *
 * Against trivial machine reading, every character is said by a different espeak voice variant,
 * pitch and speed, with its own loudness and pause, over continuous background noise. That stops a
 * script that matches fixed recordings; it does not stop a determined speech recogniser — no audio
 * CAPTCHA does, which is why the count (SPEC §3.2) and the per-IP limit stay the real protection.
 * The variation is drawn from a seed kept per CAPTCHA, so fetching the same one again gives the same
 * bytes: replaying does not let anyone average the noise away.
 */
export interface CaptchaAudio {
  /** Whether espeak-ng can be run; checked once (and logged once if not). */
  available(): Promise<boolean>;
  /** The WAV file saying `text` twice; `seed` fixes every random choice. */
  speak(text: string, seed: Buffer): Promise<Buffer>;
}

// Variants that have shipped with espeak and espeak-ng for many years, so any Debian build has them.
const variants = ['m1', 'm2', 'm3', 'm4', 'f1', 'f2', 'f3', 'f4'];

export function createCaptchaAudio(deps: { espeakPath: string | undefined; logger: Logger; timeoutMs?: number; maxConcurrent?: number; maxWaiting?: number }): CaptchaAudio {
  const timeoutMs = deps.timeoutMs ?? 5000;
  const path = deps.espeakPath;
  // One recording runs a dozen short espeak-ng processes: at most two recordings at once per
  // instance and a short queue, so a flood of Play requests (each within the per-IP limit) cannot
  // take the CPU from sign-ins; beyond the queue the route answers 503.
  const maxConcurrent = deps.maxConcurrent ?? 2;
  const maxWaiting = deps.maxWaiting ?? 16;
  let running = 0;
  const waiting: (() => void)[] = [];
  async function slot<T>(work: () => Promise<T>): Promise<T> {
    if (running >= maxConcurrent) {
      if (waiting.length >= maxWaiting) throw new Error('too many recordings being made');
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running++;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next in line, or give it back.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  }

  /** espeak-ng's WAV for `text`. The text goes in on stdin, never as an argument: a failed command's message (which may be logged) then cannot carry an answer. */
  function run(args: string[], text?: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (!path) return reject(new Error('espeak-ng is turned off'));
      const child = spawn(path, args, { stdio: ['pipe', 'pipe', 'ignore'] });
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.on('error', (err: NodeJS.ErrnoException) => (clearTimeout(timer), reject(new Error(`espeak-ng could not start (${err.code ?? 'error'})`))));
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(Buffer.concat(chunks));
        else reject(new Error(`espeak-ng ended with ${signal ?? `exit code ${code}`}`));
      });
      child.stdin.on('error', () => undefined); // a child that died early: reported by 'close'
      child.stdin.end(text ?? '');
    });
  }

  let availability: Promise<boolean> | undefined;
  function available(): Promise<boolean> {
    availability ??= (path ? run(['--version']) : Promise.reject(new Error('ESPEAK_PATH is empty'))).then(
      () => true,
      (err: Error) => {
        deps.logger.warn({ espeakPath: path ?? '', reason: err.message }, 'CAPTCHA audio unavailable: the picture is offered without its spoken alternative');
        return false;
      },
    );
    return availability;
  }

  const say = async (text: string, voice: { variant: string; pitch: number; speed: number }) =>
    trimSilence(parseWav(await run(['--stdout', '--stdin', '-v', `en-us+${voice.variant}`, '-p', String(voice.pitch), '-s', String(voice.speed)], text)));

  // The two fixed phrases are the same in every recording: spoken once per process, then kept
  // (a failure is not kept, so the next recording tries again).
  const plain = { variant: 'm3', pitch: 50, speed: 150 };
  let spokenInstructions: Promise<ReturnType<typeof trimSilence>[]> | undefined;
  const instructions = () => {
    spokenInstructions ??= Promise.all([say('Security check. Type the characters you hear.', plain), say('Once more.', plain)]).catch((err: unknown) => {
      spokenInstructions = undefined;
      throw err;
    });
    return spokenInstructions;
  };

  return {
    available,
    speak: (text, seed) => slot(() => record(text, seed)),
  };

  async function record(text: string, seed: Buffer): Promise<Buffer> {
    const random = seededRandom(seed);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const between = (low: number, high: number) => Math.round(low + random() * (high - low));
    const characters = [...text];
    const voiceFor = () => ({ variant: pick(variants), pitch: between(25, 75), speed: between(125, 160) });
    // Said twice, each time with new voices: a person who missed one gets it again.
    const [[intro, again], spoken] = await Promise.all([
      instructions(),
      Promise.all(characters.map(() => voiceFor()).concat(characters.map(() => voiceFor())).map((voice, i) => say(characters[i % characters.length]!, voice))),
    ]);
    const sampleRate = intro!.sampleRate;
    const ms = (n: number) => Math.round((n * sampleRate) / 1000);
    const parts: { samples: Int16Array; gain: number }[] = [];
    const silence = (n: number) => parts.push({ samples: new Int16Array(ms(n)), gain: 1 });
    silence(400);
    parts.push({ samples: intro!.samples, gain: 0.8 });
    spoken.forEach((piece, i) => {
      if (i === characters.length) {
        silence(900);
        parts.push({ samples: again!.samples, gain: 0.8 });
      }
      silence(between(450, 800));
      parts.push({ samples: piece.samples, gain: 0.65 + random() * 0.35 });
    });
    silence(600);
    return encodeWav({ sampleRate, samples: overNoise(parts, random) });
  }
}

/** A small fast PRNG (mulberry32) from a seed: reproducible variation, not a secret of its own. */
function seededRandom(seed: Buffer): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** espeak pads every utterance with silence; cut it so the pauses are ours (and vary). */
function trimSilence(pcm: { sampleRate: number; samples: Int16Array }) {
  const loud = (s: number) => Math.abs(s) > 300;
  let start = 0;
  let end = pcm.samples.length;
  while (start < end && !loud(pcm.samples[start]!)) start++;
  while (end > start && !loud(pcm.samples[end - 1]!)) end--;
  return { sampleRate: pcm.sampleRate, samples: pcm.samples.subarray(start, end) };
}

/**
 * The parts laid end to end over a low rumble and hiss whose level wanders: loud enough that the
 * silences between characters are not clean cut points, quiet enough that the voice stays clear.
 */
function overNoise(parts: { samples: Int16Array; gain: number }[], random: () => number): Int16Array {
  const total = parts.reduce((n, p) => n + p.samples.length, 0);
  const out = new Int16Array(total);
  let at = 0;
  let low = 0;
  let level = 0.5;
  for (const part of parts) {
    for (let i = 0; i < part.samples.length; i++, at++) {
      const white = random() * 2 - 1;
      low = 0.97 * low + 0.03 * white; // a one-pole low-pass: rumble under the hiss
      if (at % 2048 === 0) level = Math.min(1, Math.max(0.25, level + (random() - 0.5) * 0.3));
      const noise = (white * 1400 + low * 24000) * level;
      out[at] = Math.max(-32768, Math.min(32767, Math.round(part.samples[i]! * part.gain + noise)));
    }
  }
  return out;
}
