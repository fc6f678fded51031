import type { Db } from '@portal/db';

/** One app session as stored: everything but the cookie value, of which only a hash is kept. */
export interface StoredSession {
  /** Hex SHA-256 of the cookie value. */
  key: string;
  sub: string;
  sid: string | undefined;
  claims: Record<string, unknown>;
  idToken: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  data: Record<string, unknown>;
  accessToken: { sealed: string; expiresAt: number | undefined } | undefined;
}

interface SessionRow {
  key: string;
  client_id: string;
  sub: string;
  sid: string | null;
  claims: string;
  id_token: string;
  csrf_token: string;
  created_at: number | string;
  last_seen_at: number | string;
  data: string;
  access_token_sealed: string | null;
  access_token_expires_at: number | string | null;
}

/** Sessions end `idleMs` after they were last seen or `absoluteMs` after sign-in: the cut-offs for one moment. */
export interface ExpiryCutoffs {
  /** Sessions last seen before this are idle. */
  seenBefore: number;
  /** Sessions created before this reached their lifetime. */
  createdBefore: number;
}

/**
 * The only rp-kit file that speaks SQL: the `rp_sessions` rows of one app (client id), so apps that
 * share a database never see, or end, each other's sessions.
 */
export function createSessionQueries(db: Db, clientId: string) {
  const sessions = () => db<SessionRow>('rp_sessions').where('client_id', clientId);
  const expired = (q: ReturnType<typeof sessions>, cut: ExpiryCutoffs) =>
    q.andWhere((w) => w.where('last_seen_at', '<', cut.seenBefore).orWhere('created_at', '<', cut.createdBefore));

  return {
    async insert(s: StoredSession): Promise<void> {
      await db<SessionRow>('rp_sessions').insert({
        key: s.key,
        client_id: clientId,
        sub: s.sub,
        sid: s.sid ?? null,
        claims: JSON.stringify(s.claims),
        id_token: s.idToken,
        csrf_token: s.csrfToken,
        created_at: s.createdAt,
        last_seen_at: s.lastSeenAt,
        data: JSON.stringify(s.data),
        access_token_sealed: s.accessToken?.sealed ?? null,
        access_token_expires_at: s.accessToken?.expiresAt ?? null,
      });
    },

    async find(key: string): Promise<StoredSession | undefined> {
      const row = await sessions().andWhere('key', key).first();
      return row ? fromRow(row) : undefined;
    },

    /** Moves last_seen_at forward to `now`, never back (instances whose clocks differ slightly). */
    async touch(key: string, now: number): Promise<void> {
      await sessions().andWhere('key', key).andWhere('last_seen_at', '<', now).update({ last_seen_at: now });
    },

    /** False when the session no longer exists. */
    async updateData(key: string, data: Record<string, unknown>): Promise<boolean> {
      return (await sessions().andWhere('key', key).update({ data: JSON.stringify(data) })) > 0;
    },

    async delete(key: string): Promise<void> {
      await sessions().andWhere('key', key).delete();
    },

    /** Deletes the sessions of a portal session and/or a person; at least one of the two is given. */
    async deleteMatching(match: { sid: string | undefined; sub: string | undefined }): Promise<number> {
      let q = sessions();
      if (match.sid) q = q.andWhere('sid', match.sid);
      if (match.sub) q = q.andWhere('sub', match.sub);
      return q.delete();
    },

    deleteExpired(cut: ExpiryCutoffs): Promise<number> {
      return expired(sessions(), cut).delete();
    },

    async listLive(cut: ExpiryCutoffs): Promise<StoredSession[]> {
      const rows = await sessions()
        .andWhere('last_seen_at', '>=', cut.seenBefore)
        .andWhere('created_at', '>=', cut.createdBefore)
        .orderBy('created_at');
      return rows.map(fromRow);
    },
  };
}

export type SessionQueries = ReturnType<typeof createSessionQueries>;

function fromRow(row: SessionRow): StoredSession {
  return {
    key: row.key,
    sub: row.sub,
    sid: row.sid ?? undefined,
    claims: JSON.parse(row.claims) as Record<string, unknown>,
    idToken: row.id_token,
    csrfToken: row.csrf_token,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    data: JSON.parse(row.data) as Record<string, unknown>,
    accessToken:
      row.access_token_sealed === null
        ? undefined
        : { sealed: row.access_token_sealed, expiresAt: row.access_token_expires_at === null ? undefined : Number(row.access_token_expires_at) },
  };
}
