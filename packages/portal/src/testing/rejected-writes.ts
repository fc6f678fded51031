import { sameExcept, type RowChange } from './fuzz.js';

/**
 * Rows of the portal's database a rejected request is meant to write, and only those — what the
 * route fuzzer and the CSRF table compare the database against:
 * - audit_events, audit_append_lock: failed sign-ins, lockouts and refused codes are audited
 *   (SPEC §3.10), and each audit row moves the chain's head.
 * - action_counters: the per-IP and per-username request budgets count every attempt (form-guards).
 * - sign_in_counters: a wrong password counts towards the lockout, which is its purpose.
 * - captchas: a sign-in that needs a CAPTCHA stores the challenge it shows.
 * - flows, new rows: opening Forgot Password or a sign-in step starts a flow; an existing flow's
 *   `attempts` (and `updated_at`) move when a wrong code or answer is counted — the flow's own limit.
 * - oidc_payloads of kind Interaction: every authorization request starts (or resumes) one.
 * - oidc_payloads of kind Session: a new one with nobody signed in (oidc-provider's sign-out
 *   confirmation keeps its form's CSRF secret there), and an existing one re-saved with the same
 *   sign-in (account, time, factors, apps) and only its expiry, CSRF secret and sliding idle timer
 *   (`last_active_at`, SPEC §3.7) moved.
 * The first five tables and the Interaction rows are not read at all (they grow with every request).
 * Anything else — a user, a password, a membership, a token, a grant, whom a session belongs to —
 * must not move.
 */
export const portalRejectedWrites = {
  unread: ['audit_events', 'audit_append_lock', 'action_counters', 'sign_in_counters', 'captchas'],
  /** Tables the rule below names (a renamed table must not escape the check). */
  named: ['flows', 'oidc_payloads'],
  leaveOut: { oidc_payloads: { model: 'Interaction' } } as Record<string, Record<string, string>>,
  expected({ table, change, before, after }: RowChange): boolean {
    if (table === 'flows') return change === 'added' || (change === 'changed' && sameExcept(before!, after!, ['attempts', 'updated_at']));
    if (table === 'oidc_payloads') {
      const row = (before ?? after)!;
      if (row.model === 'Session') return change === 'added' ? anonymous(row) : change === 'changed' && sameSession(before!, after!);
    }
    return false;
  },
};

const sessionOf = (row: Record<string, unknown>) => JSON.parse(String(row.payload)) as Record<string, unknown>;
// A Session nobody signed in to: oidc-provider's sign-out confirmation keeps its form's CSRF secret in one.
const anonymous = (row: Record<string, unknown>) => row.account_id === null && !sessionOf(row).accountId;
// The same sign-in (account, time, factors, apps): oidc-provider re-saves a session it used, its expiry and CSRF secret moved.
const sameSession = (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const [x, y] = [sessionOf(a), sessionOf(b)];
  return sameExcept(a, b, ['last_active_at', 'expires_at', 'payload']) && ['accountId', 'loginTs', 'amr', 'acr', 'authorizations', 'uid'].every((k) => JSON.stringify(x[k]) === JSON.stringify(y[k]));
};

/**
 * Rows of an app's database (rp-kit) a rejected request may write: requireSession slides the app
 * session's idle window (`rp_sessions.last_seen_at`, SPEC §3.7) on every request of a live session.
 */
export function appRejectedWrite({ table, change, before, after }: RowChange): boolean {
  return table === 'rp_sessions' && change === 'changed' && sameExcept(before!, after!, ['last_seen_at']);
}
