import { createHash } from 'node:crypto';
import { Hl7Message, type Hl7Segment } from '@medplum/core';

/**
 * A received HL7 v2 message, read with @medplum/core's Hl7Message, with accessors that never throw:
 * a missing segment, field, repetition or component reads as ''. Hl7Message itself indexes arrays
 * without bounds checks (a repetition that is not there throws), so every read goes through here.
 */
export interface ReceivedMessage {
  message: Hl7Message;
  /** The segments in order, without the blank lines between separators. */
  segments: Hl7Segment[];
  /** SHA-256 of the segments joined by CR: a message re-sent with LF or CRLF hashes the same. */
  sha256: string;
  delimiters: Delimiters;
}

export interface Delimiters { field: string; component: string; repetition: string; escape: string; subcomponent: string }

export type ReadResult = { ok: true; received: ReceivedMessage } | { ok: false; reason: string };

/** The standard delimiters, which every ACK uses. */
export const standardDelimiters: Delimiters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };

const delimiterChar = /^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/; // printable ASCII, neither letter nor digit

/**
 * Reads the bytes of a request as one HL7 v2 message. Accepts CR, LF or CRLF between segments and
 * tolerates MLLP framing bytes and surrounding blanks. Refuses (ok: false) what cannot be
 * acknowledged at all: no MSH first, or MSH-1/MSH-2 delimiters that are not five distinct
 * punctuation characters (so MSH-10 cannot be read reliably).
 */
export function readMessage(text: string): ReadResult {
  const trimmed = text.replace(/^[\s\x0b\ufeff]+/, '').replace(/[\s\x1c\x0b]+$/, '');
  if (!trimmed.startsWith('MSH')) return { ok: false, reason: 'The body is not an HL7 v2 message: it must start with an MSH segment.' };
  const chars = trimmed.slice(3, 8);
  const [field, component, repetition, escape, subcomponent] = [...chars];
  const distinct = new Set(chars).size === 5;
  if (chars.length < 5 || !distinct || ![...chars].every((c) => delimiterChar.test(c)) || trimmed.charAt(8) !== field) {
    return { ok: false, reason: 'The MSH segment does not start with the field separator and the four encoding characters (e.g. MSH|^~\\&|).' };
  }
  const lines = trimmed.split(/\r\n|\r|\n/).filter((line) => line.length > 0);
  const normalized = lines.join('\r');
  const message = Hl7Message.parse(normalized);
  const segments = message.segments.filter((s) => s.name !== '');
  const received: ReceivedMessage = {
    message,
    segments,
    sha256: createHash('sha256').update(normalized, 'utf8').digest('hex'),
    delimiters: { field: field!, component: component!, repetition: repetition!, escape: escape!, subcomponent: subcomponent! },
  };
  return { ok: true, received };
}

/** Field `index` (HL7 numbering: MSH-1 is the field separator), repetition `rep` (0-based), raw. */
export function rawField(segment: Hl7Segment | null | undefined, index: number, rep = 0): string[] {
  if (!segment) return [];
  const field = segment.getField(index);
  return field?.components?.[rep] ?? [];
}

/** How many repetitions field `index` has (0 when empty). */
export function repetitions(segment: Hl7Segment | undefined, index: number): number {
  if (!segment) return 0;
  const field = segment.getField(index);
  const reps = field?.components ?? [];
  return reps.length === 1 && reps[0]!.every((c) => c === '') ? 0 : reps.length;
}

/**
 * Component `component` (1-based) of field `index`, repetition `rep`, with HL7 escapes resolved
 * (\F\ \S\ \T\ \R\ \E\; others dropped) and the first subcomponent only unless `sub` is given.
 */
export function value(received: ReceivedMessage, segment: Hl7Segment | null | undefined, index: number, component = 1, rep = 0, sub = 0): string {
  const raw = rawField(segment, index, rep)[component - 1] ?? '';
  const part = raw.split(received.delimiters.subcomponent)[sub] ?? '';
  return unescape(part, received.delimiters).trim();
}

/** The whole field as text (components joined with ^), for copying MSH fields into the ACK. */
export function fieldText(received: ReceivedMessage, segment: Hl7Segment | undefined, index: number): string[] {
  return rawField(segment, index).map((c) => unescape(c.split(received.delimiters.subcomponent)[0] ?? '', received.delimiters));
}

// Control characters never belong in a value (PostgreSQL refuses NUL in text): dropped on reading.
const controls = /[\u0000-\u001f\u007f]/g;

export function unescape(text: string, d: Delimiters): string {
  if (!text.includes(d.escape)) return text.replace(controls, '');
  const e = d.escape.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`${e}([^${e}]*)${e}`, 'g'), (_m, code: string) => {
    switch (code) {
      case 'F': return d.field;
      case 'S': return d.component;
      case 'T': return d.subcomponent;
      case 'R': return d.repetition;
      case 'E': return d.escape;
      default: return '';
    }
  }).replace(controls, '');
}

/** Escapes text for a field of a message with the standard delimiters. */
export function escape(text: string): string {
  return text.replace(/[\\|^~&]/g, (c) => ({ '\\': '\\E\\', '|': '\\F\\', '^': '\\S\\', '~': '\\R\\', '&': '\\T\\' })[c]!).replace(/[\r\n]+/g, ' ');
}

/**
 * An HL7 DT/DTM's calendar date as ISO YYYY-MM-DD, or null when it is not a real date: at least
 * YYYYMMDD, then optional time digits, fraction and offset (`201201130000-500` is tolerated).
 */
export function hl7Date(text: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2,6})?(\.\d{1,4})?([+-]\d{3,4})?$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1850 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}
