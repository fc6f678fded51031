import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';

const newId = () => randomBytes(32).toString('base64url').slice(0, 43); // oidc-provider's id length

function open(databaseUrl: string): Knex {
  return databaseUrl.startsWith('sqlite:')
    ? knex({ client: 'better-sqlite3', connection: { filename: databaseUrl.slice('sqlite:'.length) }, useNullAsDefault: true, pool: { min: 1, max: 1 } })
    : knex({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 2 } });
}

/**
 * Adds `count` live SSO sessions to the portal's `oidc_payloads` table, written straight to the
 * table (100,000 real sign-ins would take an hour of argon2): copies of the newest Session row a
 * real sign-in of this run stored, in the shape the portal's adapter writes it, each with its own
 * id, uid and app sid, spread over the directory's users, active now. No Grant rows are added (the
 * app authorization keeps the template's grant id).
 */
export async function addLiveSessions(databaseUrl: string, count: number): Promise<void> {
  const db = open(databaseUrl);
  try {
    const template = await db('oidc_payloads').where({ model: 'Session' }).orderBy('created_at', 'desc').first();
    if (!template) throw new Error('no Session row to copy: sign in once first');
    const payload = JSON.parse(template.payload as string) as { authorizations?: Record<string, { sid?: string; grantId?: string }> } & Record<string, unknown>;
    const users = (await db('users').select('id').limit(count)).map((u: { id: string }) => u.id);
    const now = Date.now();
    const ttlMs = Number(template.expires_at) - Number(template.created_at);
    await db.transaction(async (trx) => {
      for (let from = 0; from < count; from += 500) {
        const rows = Array.from({ length: Math.min(500, count - from) }, (_, i) => {
          const id = newId();
          const uid = newId();
          const accountId = users[(from + i) % users.length]!;
          const authorizations = Object.fromEntries(Object.entries(payload.authorizations ?? {}).map(([client, a]) => [client, { ...a, sid: newId() }]));
          const iat = Math.floor(now / 1000);
          return {
            model: 'Session',
            id,
            payload: JSON.stringify({ ...payload, jti: id, uid, accountId, iat, exp: iat + Math.floor(ttlMs / 1000), loginTs: iat, authorizations }),
            grant_id: null,
            user_code: null,
            uid,
            account_id: accountId,
            expires_at: now + ttlMs,
            consumed_at: null,
            created_at: now,
            last_active_at: now,
          };
        });
        await trx('oidc_payloads').insert(rows);
      }
    });
  } finally {
    await db.destroy();
  }
}

/** Live Session rows in the portal's database. */
export async function countSessions(databaseUrl: string): Promise<number> {
  const db = open(databaseUrl);
  try {
    const [row] = await db('oidc_payloads').where({ model: 'Session' }).andWhere('expires_at', '>', Date.now()).count({ n: '*' });
    return Number(row?.n);
  } finally {
    await db.destroy();
  }
}
