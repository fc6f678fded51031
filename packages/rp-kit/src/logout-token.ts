import { jwtVerify, type JWTVerifyGetKey } from 'jose';

const backchannelLogoutEvent = 'http://schemas.openid.net/event/backchannel-logout';

export class InvalidLogoutToken extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidLogoutToken';
  }
}

/**
 * Validates a back-channel logout token (OpenID Back-Channel Logout 1.0 §2.6): signed by one of the
 * portal's keys with an algorithm it announces (never `none`, never HMAC with a public value), from
 * the portal, for this client, fresh, carrying the logout event, no nonce (so an ID token cannot be
 * replayed as a logout token), and naming a session or a person.
 */
export async function verifyLogoutToken(
  token: string,
  expected: { issuer: string; clientId: string; jwks: JWTVerifyGetKey; algorithms: string[] },
): Promise<{ sid: string | undefined; sub: string | undefined }> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, expected.jwks, {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: expected.algorithms,
      requiredClaims: ['iat', 'jti', 'events'],
      // Logout tokens are sent at once; an old one is a replay.
      maxTokenAge: '5 minutes',
      clockTolerance: 30,
    }));
  } catch (err) {
    throw new InvalidLogoutToken((err as Error).message);
  }
  const events = payload.events;
  if (!events || typeof events !== 'object' || Array.isArray(events) || !(backchannelLogoutEvent in events)) {
    throw new InvalidLogoutToken('events does not contain the back-channel logout event');
  }
  if ('nonce' in payload) throw new InvalidLogoutToken('a logout token must not contain a nonce');
  const sid = typeof payload.sid === 'string' && payload.sid ? payload.sid : undefined;
  const sub = typeof payload.sub === 'string' && payload.sub ? payload.sub : undefined;
  if (!sid && !sub) throw new InvalidLogoutToken('neither sid nor sub');
  return { sid, sub };
}
