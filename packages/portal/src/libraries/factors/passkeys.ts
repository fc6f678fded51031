import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { randomToken } from '../secrets.js';
import type { PasskeyQueries, PasskeyRow } from '../../queries/passkeys.js';

/** A passkey as pages and the help desk may show it: what the person called it and when, never the key. */
export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** A passkey the platform syncs between devices (WebAuthn "multiDevice"), not one bound to one device. */
  synced: boolean;
}

/** The relying party as WebAuthn sees it: the portal's host name and origin, from PORTAL_URL. */
export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
}

/** A passkey the browser has just created and the server has checked, not yet stored. */
export interface NewPasskey {
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  aaguid: string;
  deviceType: string;
  backedUp: boolean;
}

export type PasskeyRefusal = 'malformed' | 'unknown_credential' | 'other_user' | 'user_handle' | 'invalid' | 'counter';

const base64url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+$/);
// The spec allows credential ids of up to 1023 bytes: 1364 characters of base64url.
const credentialId = base64url(1400);
const transports = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);
const clientExtensionResults = z.record(z.string(), z.unknown()).default({});

// What the browser posts, checked for shape and size before the library parses a byte of it:
// anything else is a 400, never an exception deep in CBOR decoding. Both ceremonies answer with
// the same credential envelope around their own `response`.
function credentialSchema<Response extends z.ZodRawShape>(response: Response) {
  return z
    .object({
      id: credentialId,
      rawId: credentialId,
      type: z.literal('public-key'),
      authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
      clientExtensionResults,
      response: z.object(response),
    })
    .refine((r) => r.id === r.rawId);
}

const registrationSchema = credentialSchema({
  clientDataJSON: base64url(4000),
  attestationObject: base64url(8000),
  authenticatorData: base64url(8000).optional(),
  transports: z.array(z.string().max(20)).max(10).optional(),
  publicKeyAlgorithm: z.number().int().optional(),
  publicKey: base64url(2000).optional(),
});

const authenticationSchema = credentialSchema({
  clientDataJSON: base64url(4000),
  authenticatorData: base64url(4000),
  signature: base64url(2000),
  userHandle: base64url(100).optional(),
});

/** How long the browser may take over a ceremony; the stored challenge lives a little longer. */
export const ceremonyTimeoutMs = 120_000;

function parse<T>(schema: z.ZodType<T>, text: unknown): T | undefined {
  if (typeof text !== 'string' || text.length > 12_000) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const summary = (row: PasskeyRow): PasskeySummary => ({
  id: row.id,
  name: row.name,
  createdAt: Number(row.created_at),
  lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  synced: row.device_type === 'multiDevice',
});

/**
 * Passkeys (WebAuthn, @simplewebauthn/server): a key pair made on the person's device, the private
 * half never leaving it, unlocked there by a fingerprint, face or PIN. User verification is
 * required in every ceremony, so one passkey is two factors (the device and the person) and can
 * stand alone (no password) or be the second factor after the password. Registration and sign-in
 * ask for discoverable credentials (resident keys): the device itself offers the account.
 *
 * The rp ID is the portal's host and the origin its origin: an assertion made for any other site
 * (a phishing copy) is refused by the browser and again here. Challenges are made here and kept by
 * the caller in a stored flow record (libraries/webauthn-challenges.ts), used once.
 */
export function createPasskeys(deps: { queries: PasskeyQueries; clock: Clock; rp: RelyingParty }) {
  const { queries, rp } = deps;
  // The WebAuthn user handle: our user id (a random UUID, nothing personal), what a discoverable
  // credential hands back so the server knows whose it claims to be.
  const userHandle = (userId: string) => Buffer.from(userId, 'utf8').toString('base64url');
  const descriptor = (row: PasskeyRow) => ({ id: row.credential_id, ...(row.transports ? { transports: row.transports.split(',') } : {}) });

  return {
    amr: 'hwk' as const,
    rp,
    /** Browsers refuse WebAuthn when the rp ID is an IP address: the pages then offer no passkey button. */
    available: isIP(rp.id.replace(/^\[|\]$/g, '')) === 0,

    async list(userId: string): Promise<PasskeySummary[]> {
      return (await queries.listFor(userId)).map(summary);
    },

    /** What navigator.credentials.create() needs; the challenge in it is the caller's to store. */
    async registrationOptions(user: { id: string; username: string; name: string }): Promise<PublicKeyCredentialCreationOptionsJSON> {
      const existing = await queries.listFor(user.id);
      return generateRegistrationOptions({
        rpName: rp.name,
        rpID: rp.id,
        userName: user.username,
        userDisplayName: user.name,
        userID: new Uint8Array(Buffer.from(user.id, 'utf8')),
        timeout: ceremonyTimeoutMs,
        attestationType: 'none', // which make of authenticator it is is not our business (and not checked)
        // The same authenticator twice is refused by the browser: one device, one passkey here.
        excludeCredentials: existing.map(descriptor),
        authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
      });
    },

    /** Checks what the browser made against the stored challenge; nothing is stored yet. */
    async verifyRegistration(responseText: unknown, expectedChallenge: string): Promise<{ ok: true; passkey: NewPasskey } | { ok: false; reason: 'malformed' | 'invalid' | 'duplicate' }> {
      const response = parse(registrationSchema, responseText);
      if (!response) return { ok: false, reason: 'malformed' };
      let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
      try {
        verified = await verifyRegistrationResponse({
          response: response as RegistrationResponseJSON,
          expectedChallenge,
          expectedOrigin: rp.origin,
          expectedRPID: rp.id,
          requireUserVerification: true,
        });
      } catch {
        // The library throws for every failed check (challenge, origin, rp ID, UV, a bad encoding).
        return { ok: false, reason: 'invalid' };
      }
      if (!verified.verified) return { ok: false, reason: 'invalid' };
      const info = verified.registrationInfo;
      if (await queries.findByCredentialId(info.credential.id)) return { ok: false, reason: 'duplicate' };
      return {
        ok: true,
        passkey: {
          credentialId: info.credential.id,
          publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
          counter: info.credential.counter,
          transports: (response.response.transports ?? []).filter((t) => transports.has(t)),
          aaguid: info.aaguid,
          deviceType: info.credentialDeviceType,
          backedUp: info.credentialBackedUp,
        },
      };
    },

    async save(userId: string, passkey: NewPasskey, name: string): Promise<PasskeySummary> {
      const row: PasskeyRow = {
        id: randomToken(16),
        user_id: userId,
        credential_id: passkey.credentialId,
        public_key: passkey.publicKey,
        counter: passkey.counter,
        transports: passkey.transports.length ? passkey.transports.join(',') : null,
        name,
        aaguid: passkey.aaguid,
        device_type: passkey.deviceType,
        backed_up: passkey.backedUp,
        created_at: deps.clock.now(),
        last_used_at: null,
      };
      await queries.insert(row);
      return summary(row);
    },

    /**
     * What navigator.credentials.get() needs. For a second factor, this person's passkeys only; for
     * a sign-in without a password, none named: the device offers the accounts it holds for us.
     */
    async authenticationOptions(userId?: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
      const allow = userId ? (await queries.listFor(userId)).map(descriptor) : undefined;
      return generateAuthenticationOptions({ rpID: rp.id, timeout: ceremonyTimeoutMs, userVerification: 'required', ...(allow ? { allowCredentials: allow } : {}) });
    },

    /**
     * Checks an assertion against the stored challenge and the passkey it names; `expectedUserId`
     * for a second factor (someone else's passkey is refused, whatever it proves). A good one moves
     * the passkey's counter (compare-and-set) and its last use.
     */
    async verifyAuthentication(
      responseText: unknown,
      expectedChallenge: string,
      expectedUserId?: string,
    ): Promise<{ ok: true; userId: string; passkey: PasskeySummary } | { ok: false; reason: PasskeyRefusal; userId?: string | undefined }> {
      const response = parse(authenticationSchema, responseText);
      if (!response) return { ok: false, reason: 'malformed' };
      const row = await queries.findByCredentialId(response.id);
      // A removed passkey is no row: its assertions match nothing.
      if (!row) return { ok: false, reason: 'unknown_credential' };
      if (expectedUserId !== undefined && row.user_id !== expectedUserId) return { ok: false, reason: 'other_user', userId: row.user_id };
      // Without a person named beforehand the device must say whose credential this is (WebAuthn §7.2 step 6); when it does, it must agree.
      const handle = response.response.userHandle;
      if ((expectedUserId === undefined && !handle) || (handle !== undefined && handle !== userHandle(row.user_id))) return { ok: false, reason: 'user_handle', userId: row.user_id };
      const counter = Number(row.counter);
      let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
      try {
        verified = await verifyAuthenticationResponse({
          response: response as AuthenticationResponseJSON,
          expectedChallenge,
          expectedOrigin: rp.origin,
          expectedRPID: rp.id,
          credential: { id: row.credential_id, publicKey: new Uint8Array(Buffer.from(row.public_key, 'base64url')), counter, ...(row.transports ? { transports: row.transports.split(',') } : {}) },
          requireUserVerification: true,
        });
      } catch (err) {
        // A counter that went backwards is the one failure worth its own name: a cloned authenticator.
        return { ok: false, reason: /counter/i.test((err as Error).message) ? 'counter' : 'invalid', userId: row.user_id };
      }
      if (!verified.verified) return { ok: false, reason: 'invalid', userId: row.user_id };
      const { newCounter, credentialBackedUp } = verified.authenticationInfo;
      if (!(await queries.recordUse(row.id, counter, newCounter, credentialBackedUp, deps.clock.now()))) return { ok: false, reason: 'counter', userId: row.user_id };
      return { ok: true, userId: row.user_id, passkey: { ...summary(row), lastUsedAt: deps.clock.now() } };
    },

    /** One of this person's passkeys; undefined when the id is not one of theirs. */
    async remove(userId: string, passkeyId: string): Promise<PasskeySummary | undefined> {
      const row = (await queries.listFor(userId)).find((p) => p.id === passkeyId);
      return row && (await queries.remove(userId, row.id)) ? summary(row) : undefined;
    },

    removeAll: (userId: string) => queries.removeAll(userId),
  };
}

export type Passkeys = ReturnType<typeof createPasskeys>;
