import { escape, fieldText, type ReceivedMessage } from './message.js';

/** MSA-1 (HL7 table 0008, "original mode" as the CDC IG uses it). */
export type AckCode = 'AA' | 'AE' | 'AR';

/** HL7 table 0357 (message error condition codes) as the CDC IG 2.5.1 R1.5 uses them. */
export const errorCodes = {
  accepted: '0^Message accepted',
  segmentSequence: '100^Segment sequence error',
  requiredFieldMissing: '101^Required field missing',
  dataType: '102^Data type error',
  tableValueNotFound: '103^Table value not found',
  unsupportedMessageType: '200^Unsupported message type',
  unsupportedEventCode: '201^Unsupported event code',
  unsupportedProcessingId: '202^Unsupported processing id',
  unsupportedVersion: '203^Unsupported version id',
  unknownKey: '204^Unknown key identifier',
  internalError: '207^Application internal error',
} as const;
export type ErrorCode = keyof typeof errorCodes;

/** HL7 table 0533 (application error codes), ERR-5, where the IG's examples give one. */
export const applicationErrors = { illogicalDate: '1^Illogical date error^HL70533', requiredDataMissing: '7^Required data missing^HL70533', tableValueNotFound: '5^Table value not found^HL70533' } as const;

/** One ERR row: ERR-2 location `SEG^seq^field` (seq counts that segment's occurrences), ERR-3, ERR-4, ERR-8. */
export interface AckError {
  segment: string;
  sequence?: number;
  field?: number;
  code: ErrorCode;
  severity: 'E' | 'W' | 'I';
  message: string;
  applicationError?: string;
}

const segmentName = /^[A-Z][A-Z0-9]{2}$/;

function errRow(e: AckError): string {
  const name = segmentName.test(e.segment) ? e.segment : '';
  const location = [name, e.sequence ?? '', e.field ?? ''].join('^').replace(/\^+$/, '');
  return ['ERR', '', location, `${errorCodes[e.code]}^HL70357`, e.severity, e.applicationError ?? '', '', '', escape(e.message)].join('|');
}

/** An HL7 TS in UTC: YYYYMMDDHHMMSS+0000. */
export function hl7Timestamp(epochMs: number): string {
  return `${new Date(epochMs).toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
}

/**
 * The ACK^V04 of the CDC IG (Appendix A): sender and receiver swapped, a control id of its own,
 * MSH-12 2.5.1, the Z23 acknowledgement profile in MSH-21, MSA-1 and MSA-2 (the VXU's MSH-10), one
 * ERR row per finding. Values copied from the VXU are unescaped and escaped again, so a VXU with
 * other encoding characters still yields a well-formed ACK with the standard ones.
 */
export function buildAck(input: { received?: ReceivedMessage; code: AckCode; errors: readonly AckError[]; controlId: string; now: number; processingId?: string }): string {
  const { received } = input;
  const msh = received?.segments[0];
  const copy = (index: number, fallback: string) => {
    const parts = received ? fieldText(received, msh, index) : [];
    const text = parts.map(escape).join('^').replace(/\^+$/, '');
    return text || fallback;
  };
  const incomingControlId = received ? escape(fieldText(received, msh, 10)[0] ?? '').slice(0, 199) : '';
  const header = [
    'MSH', '^~\\&',
    copy(5, 'ImmTrac2'), copy(6, 'ImmTrac2'), // MSH-3/4: we are the sender now
    copy(3, ''), copy(4, ''), // MSH-5/6: the VXU's sender
    hl7Timestamp(input.now), '', 'ACK^V04^ACK', input.controlId, input.processingId ?? 'P', '2.5.1',
    '', '', 'NE', 'NE', '', '', '', '', 'Z23^CDCPHINVS',
  ].join('|');
  const msa = ['MSA', input.code, incomingControlId].join('|');
  return [header, msa, ...input.errors.map(errRow)].join('\r') + '\r';
}
