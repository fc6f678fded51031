import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { InvalidLogoutToken, verifyLogoutToken } from './logout-token.js';

const issuer = 'https://portal.example';
const event = { 'http://schemas.openid.net/event/backchannel-logout': {} };
let sign: (claims: JWTPayload, audience?: string, issuedAt?: number) => Promise<string>;
let expected: Parameters<typeof verifyLogoutToken>[1];

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
  expected = { issuer, clientId: 'registry', jwks: createLocalJWKSet({ keys: [jwk] }), algorithms: ['RS256'] };
  sign = (claims, audience = 'registry', issuedAt = Math.floor(Date.now() / 1000)) =>
    new SignJWT({ jti: crypto.randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'logout+jwt' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .sign(privateKey);
});

test('a well-formed logout token names the session and the person', async () => {
  await expect(verifyLogoutToken(await sign({ sid: 's1', sub: 'u1', events: event }), expected)).resolves.toEqual({ sid: 's1', sub: 'u1' });
  await expect(verifyLogoutToken(await sign({ sub: 'u1', events: event }), expected)).resolves.toEqual({ sid: undefined, sub: 'u1' });
});

test.each([
  ['for another client', { sid: 's1', events: event }, 'enrollment'],
  ['without the logout event', { sid: 's1', events: { 'urn:other': {} } }, undefined],
  ['without events', { sid: 's1' }, undefined],
  ['with a nonce (an ID token passed off as a logout token)', { sid: 's1', events: event, nonce: 'n' }, undefined],
  ['naming neither sid nor sub', { events: event }, undefined],
])('a token %s is refused', async (_what, claims, audience) => {
  await expect(verifyLogoutToken(await sign(claims as JWTPayload, audience), expected)).rejects.toBeInstanceOf(InvalidLogoutToken);
});

test('an old token is refused (replay), a fresh one from the same key is not', async () => {
  const now = Math.floor(Date.now() / 1000);
  await expect(verifyLogoutToken(await sign({ sid: 's1', events: event }, 'registry', now - 3600), expected)).rejects.toBeInstanceOf(InvalidLogoutToken);
  await expect(verifyLogoutToken(await sign({ sid: 's1', events: event }, 'registry', now - 60), expected)).resolves.toMatchObject({ sid: 's1' });
});

test('a token signed with another key, or not signed at all, is refused', async () => {
  const { privateKey } = await generateKeyPair('RS256');
  const claims = { jti: 'j', sid: 's1', events: event };
  const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setAudience('registry').setIssuedAt().sign(privateKey);
  const unsigned = new UnsecuredJWT(claims).setIssuer(issuer).setAudience('registry').setIssuedAt().encode();
  await expect(verifyLogoutToken(foreign, expected)).rejects.toBeInstanceOf(InvalidLogoutToken);
  await expect(verifyLogoutToken(unsigned, expected)).rejects.toBeInstanceOf(InvalidLogoutToken);
});
