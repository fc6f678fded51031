import type { Db } from '../db/knex.js';

export interface AuaVersionRow {
  version: string;
  text: string;
  published_at: number;
}

export function createAuaQueries(db: Db) {
  return {
    async current(): Promise<AuaVersionRow | undefined> {
      return db<AuaVersionRow>('aua_versions').orderBy('published_at', 'desc').orderBy('version', 'desc').first();
    },
    async find(version: string): Promise<AuaVersionRow | undefined> {
      return db<AuaVersionRow>('aua_versions').where({ version }).first();
    },
    async publish(row: AuaVersionRow): Promise<void> {
      await db<AuaVersionRow>('aua_versions').insert(row).onConflict('version').ignore();
    },
    async lastAcceptance(userId: string): Promise<{ version: string; accepted_at: number } | undefined> {
      return db('aua_acceptances').where({ user_id: userId }).orderBy('accepted_at', 'desc').orderBy('id', 'desc').first('version', 'accepted_at');
    },
    async accept(row: { user_id: string; version: string; accepted_at: number; ip: string | null }): Promise<void> {
      await db('aua_acceptances').insert(row);
    },
  };
}

export type AuaQueries = ReturnType<typeof createAuaQueries>;
