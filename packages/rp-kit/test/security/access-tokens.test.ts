import { createHmac, createPublicKey } from 'node:crypto';
import { base64url, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { recordSecurityResult, startTestPortal, type TestPortal } from '@portal/portal/testing';
import { AccessTokenRefused, createAccessTokenVerifier, systemClock } from '@portal/rp-kit';

/**
 * The apps' JWT endpoints (ImmTrac2's HL7 intake, VAOS's inventory API) verify the portal's access
 * tokens with rp-kit's verifier (issue 14, part 5: JWT alg confusion). A real portal issues a real
 * HL7 token; the verifier takes it, and refuses every forgery an attacker can make without the
 * portal's private key.
 */
let t: TestPortal;
let real: string;
const iis = '1000000001';

beforeAll(async () => {
  t = await startTestPortal();
  await t.directory.createOrg({ code: 'PEDS01', iisId: iis, name: 'Hill Country Pediatrics' });
  const ehr = await t.directory.createClient({ name: 'EHR', grants: ['client_credentials'], scopes: ['hl7:submit'], orgIisId: iis });
  const res = await fetch(`${t.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${ehr.client_id}:${ehr.client_secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'hl7:submit', resource: t.config.hl7Resource }),
  });
  real = ((await res.json()) as { access_token: string }).access_token;
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const enc = (o: unknown) => base64url.encode(JSON.stringify(o));

test('the portal\u2019s own token is taken; none, HS256 keyed with its public key, a stripped or re-used signature, and a stranger\u2019s key with its kid are all refused', async () => {
  const verify = createAccessTokenVerifier({ issuer: t.url, audience: t.config.hl7Resource, scope: 'hl7:submit', clock: systemClock });
  await expect(verify(real)).resolves.toMatchObject({ claims: { iis_id: iis } });

  const header = decodeProtectedHeader(real);
  const claims = decodeJwt(real);
  const jwks = (await (await fetch(`${t.url}/jwks`)).json()) as { keys: Record<string, unknown>[] };
  const publicPem = createPublicKey({ key: jwks.keys.find((k) => k.kid === header.kid)!, format: 'jwk' } as never).export({ type: 'spki', format: 'pem' }).toString();
  const hsHead = `${enc({ ...header, alg: 'HS256' })}.${enc(claims)}`;
  const stranger = await generateKeyPair('RS256');
  const [realHead, , realSignature] = real.split('.');
  const forgeries: Record<string, string> = {
    'alg none': `${enc({ ...header, alg: 'none' })}.${enc(claims)}.`,
    'HS256 with the public key': `${hsHead}.${createHmac('sha256', publicPem).update(hsHead).digest('base64url')}`,
    'signature stripped': `${realHead}.${enc(claims)}.`,
    'claims changed, signature kept': `${realHead}.${enc({ ...claims, iis_id: '9999999999' })}.${realSignature}`,
    'another key, the portal\u2019s kid': await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: header.kid }).sign(stranger.privateKey as CryptoKey),
    'embedded jwk': await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', jwk: await exportJWK(stranger.publicKey) }).sign(stranger.privateKey as CryptoKey),
  };
  const outcomes: Record<string, string> = {};
  for (const [kind, token] of Object.entries(forgeries)) {
    outcomes[kind] = await verify(token).then(() => 'accepted', (err: unknown) => (err instanceof AccessTokenRefused ? 'refused' : `error: ${(err as Error).message}`));
  }
  expect(outcomes).toEqual(Object.fromEntries(Object.keys(forgeries).map((k) => [k, 'refused'])));
  recordSecurityResult({ check: 'JWT alg confusion (apps)', figures: { forgeries: Object.keys(forgeries).length, accepted: Object.values(outcomes).filter((o) => o === 'accepted').length } });
});

test('a real portal token for another resource or scope is refused: the HL7 token is no inventory token', async () => {
  const inventory = createAccessTokenVerifier({ issuer: t.url, audience: t.config.inventoryResource, scope: 'inventory:administered', clock: systemClock });
  await expect(inventory(real)).rejects.toMatchObject({ error: 'invalid_token' });
  const otherScope = createAccessTokenVerifier({ issuer: t.url, audience: t.config.hl7Resource, scope: 'inventory:administered', clock: systemClock });
  await expect(otherScope(real)).rejects.toMatchObject({ error: 'insufficient_scope' });
});
