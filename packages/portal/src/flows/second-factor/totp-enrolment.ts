import QRCode from 'qrcode';
import type { AuditContext } from '../../libraries/audit.js';
import type { UserRow } from '../../queries/users.js';
import { createFactorNotice, type FactorChangeDeps } from './notice.js';

/** What the enrolment page shows: the key as a QR code and as text, for people who cannot scan. */
export interface TotpOffer {
  sealed: string;
  secret: string;
  qrSvg: string;
}

/** The otpauth:// URI as the QR code an authenticator app scans. */
const qrSvgOf = (uri: string) => QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });

/**
 * Setting up an authenticator app, from My Profile or from the sign-in of someone who must have one
 * (issue #10): a key is offered (kept sealed in the caller's flow record, never in a cookie or a
 * URL), a first code from the app proves it was added, and only then is it stored — with ten
 * recovery codes, shown once. Removing it needs the password and a current code (My Profile) or a
 * help-desk reason; either way the person is told by email.
 */
export function createTotpEnrolment(deps: FactorChangeDeps) {
  const { totp, recoveryCodes } = deps.factors;

  const tell = createFactorNotice(deps);

  return {
    async offer(user: UserRow): Promise<TotpOffer> {
      const { secret, uri } = totp.newKey(user.username);
      return { sealed: totp.sealPending(user.id, secret), secret, qrSvg: await qrSvgOf(uri) };
    },
    /** The offer again (the same key) from what the flow record kept: a reload shows the same QR code. */
    async reopen(user: UserRow, sealed: string): Promise<TotpOffer | undefined> {
      const secret = totp.openPending(user.id, sealed);
      if (!secret) return undefined;
      return { sealed, secret, qrSvg: await qrSvgOf(totp.newKeyUri(user.username, secret)) };
    },
    /** Checks the first code against the offered key; nothing is stored yet. */
    prepare(user: UserRow, sealed: string, code: string): { ok: true; secret: string; step: number } | { ok: false } {
      const secret = totp.openPending(user.id, sealed);
      const step = secret ? totp.matchStep(secret, code.replace(/\s/g, '')) : undefined;
      return secret && step !== undefined ? { ok: true, secret, step } : { ok: false };
    },
    /** Stores the key and a fresh set of recovery codes; returns the codes, to be shown once. */
    async apply(user: UserRow, prepared: { secret: string; step: number }, context: AuditContext): Promise<string[]> {
      const codes = await deps.unitOfWork(async () => {
        await totp.save(user.id, prepared.secret, prepared.step);
        const issued = await recoveryCodes.issue(user.id);
        await deps.audit.record({ action: 'mfa.totp_enrolled', subjectUserId: user.id }, context);
        return issued;
      });
      tell(user, { kind: 'totpSetUp' });
      return codes;
    },
    /** New recovery codes (the old ones stop working); to be shown once. */
    async renewRecoveryCodes(user: UserRow, context: AuditContext): Promise<string[]> {
      const codes = await deps.unitOfWork(async () => {
        const issued = await recoveryCodes.issue(user.id);
        await deps.audit.record({ action: 'mfa.recovery_codes_renewed', subjectUserId: user.id }, context);
        return issued;
      });
      tell(user, { kind: 'recoveryCodesRenewed' });
      return codes;
    },
    /**
     * The person's own removal of the app and its recovery codes (the caller has checked the
     * password and a current code). Passkeys are removed one by one and stay: with one left,
     * two-step verification is still on. Returns whether it is.
     */
    async remove(user: UserRow, context: AuditContext): Promise<{ stillOn: boolean }> {
      const stillOn = await deps.unitOfWork(async () => {
        await deps.factors.removeApp(user.id);
        await deps.audit.record({ action: 'mfa.removed', subjectUserId: user.id, details: { by: 'self', factor: 'totp' } }, context);
        return deps.factors.enrolled(user.id);
      });
      tell(user, { kind: stillOn ? 'appRemoved' : 'turnedOff' });
      return { stillOn };
    },
  };
}

export type TotpEnrolment = ReturnType<typeof createTotpEnrolment>;
