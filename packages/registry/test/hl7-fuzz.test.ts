import fc from 'fast-check';
import { readAck, sample, sampleNames, startHl7System, type Hl7System } from './hl7-harness.js';

/**
 * 1,000 generated malformed messages: truncated, wrong delimiters, binary, huge fields, duplicated
 * and shuffled segments, random bytes. Never a 5xx, never a stack trace, always a well-formed ACK
 * or a plain 4xx, and a message answered AR or 4xx changes no table.
 */

const bases = sampleNames.filter((n) => n !== 'derived-missing-msh.hl7').map((n) => sample(n).toString('utf8'));
const segmentsOf = (text: string) => text.split(/\r\n|\r|\n/).filter(Boolean);

const base = fc.constantFrom(...bases);
const truncated = fc.tuple(base, fc.double({ min: 0, max: 1, noNaN: true })).map(([t, f]) => t.slice(0, Math.floor(t.length * f)));
const wrongDelimiters = fc.tuple(base, fc.constantFrom('|', '^', '~', '\\', '&'), fc.string({ minLength: 1, maxLength: 1 })).map(([t, from, to]) => t.split(from).join(to));
const brokenEncodingChars = fc.tuple(base, fc.string({ minLength: 0, maxLength: 6 })).map(([t, enc]) => `MSH|${enc}${t.slice(8)}`);
const binary = fc.uint8Array({ minLength: 0, maxLength: 2_000 }).map((b) => Buffer.from(b));
const mshThenBinary = fc.uint8Array({ minLength: 0, maxLength: 2_000 }).map((b) => Buffer.concat([Buffer.from('MSH|^~\\&|'), Buffer.from(b)]));
const hugeField = fc.tuple(base, fc.nat(), fc.nat(), fc.integer({ min: 1_000, max: 300_000 }), fc.constantFrom('A', '9', '^', '~', '\\', 'é', '\u0000')).map(([t, si, fi, size, ch]) => {
  const segs = segmentsOf(t);
  const seg = segs[si % segs.length]!.split('|');
  seg[1 + (fi % Math.max(1, seg.length - 1))] = ch.repeat(size);
  segs[si % segs.length] = seg.join('|');
  return segs.join('\r');
});
const duplicated = fc.tuple(base, fc.nat(), fc.integer({ min: 2, max: 50 })).map(([t, i, n]) => {
  const segs = segmentsOf(t);
  const seg = segs[i % segs.length]!;
  segs.splice(i % segs.length, 1, ...Array<string>(n).fill(seg));
  return segs.join('\n');
});
const shuffled = fc.tuple(base, fc.array(fc.nat(), { minLength: 1, maxLength: 30 })).map(([t, swaps]) => {
  const segs = segmentsOf(t);
  for (const k of swaps) {
    const a = 1 + (k % Math.max(1, segs.length - 1));
    const b = 1 + ((k * 7) % Math.max(1, segs.length - 1));
    [segs[a], segs[b]] = [segs[b]!, segs[a]!];
  }
  return segs.join('\r\n');
});
const mutatedFields = fc.tuple(base, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 40 })), { minLength: 1, maxLength: 8 })).map(([t, edits]) => {
  const segs = segmentsOf(t).map((s) => s.split('|'));
  for (const [si, fi, v] of edits) {
    const seg = segs[si % segs.length]!;
    seg[1 + (fi % (seg.length + 3))] = v;
  }
  return segs.map((s) => s.join('|')).join('\r');
});
const randomText = fc.tuple(fc.boolean(), fc.string({ unit: 'binary', maxLength: 3_000 })).map(([withMsh, t]) => (withMsh ? `MSH|^~\\&|${t}` : t));

const malformed = fc.oneof(truncated, wrongDelimiters, brokenEncodingChars, binary, mshThenBinary, hugeField, duplicated, shuffled, mutatedFields, randomText);

let s: Hl7System;
beforeAll(async () => {
  s = await startHl7System({ hl7: { messagesPerMinute: 1_000_000 } });
});
afterAll(async () => {
  await s.close();
});

test('1,000 malformed messages: never a 5xx or a stack trace; AR and 4xx change nothing', async () => {
  const token = await s.issuer.token({ iis_id: '2999999999', client_id: 'fuzzer' });
  const tally: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(malformed, async (message) => {
      const before = await s.counts();
      const response = await s.post(typeof message === 'string' ? Buffer.from(message, 'utf8') : message, token);
      expect(response.status).toBeLessThan(500);
      expect(response.text).not.toMatch(/\n\s+at |Error:|node_modules|\.ts:\d+/);
      let outcome = String(response.status);
      if (response.status === 200) {
        expect(response.text.startsWith('MSH|^~\\&|')).toBe(true);
        const ack = readAck(response.text);
        expect(['AA', 'AE', 'AR']).toContain(ack.msa1);
        outcome = ack.msa1!;
      } else {
        expect([400, 413]).toContain(response.status);
        expect(response.headers['content-type']).toMatch(/^text\/plain/);
      }
      tally[outcome] = (tally[outcome] ?? 0) + 1;
      if (outcome !== 'AA' && outcome !== 'AE') expect(await s.counts()).toEqual(before);
    }),
    { numRuns: 1_000 },
  );
  // Each kind of answer occurs: the generators reach the header checks, the body and beyond.
  expect(Object.keys(tally).sort()).toEqual(expect.arrayContaining(['400', 'AA', 'AE', 'AR']));
  console.log(`fuzz outcomes: ${JSON.stringify(tally)}`);
}, 600_000);
