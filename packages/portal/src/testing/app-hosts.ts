import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDb, type Db } from '../db/knex.js';
import { freshDatabase } from './index.js';

/**
 * What a test of the apps beside a test portal needs: servers on free ports (listening before the
 * app exists, so the portal can be told the app's address first) and fresh databases of their own,
 * all closed and dropped together. `prepare` is the app side's migration (rp-kit's `migrateRpKit`),
 * passed in because the portal does not depend on rp-kit.
 */
export function createAppHosts(options: { prepare?: (db: Db) => Promise<unknown> } = {}) {
  const servers: Server[] = [];
  const databases: { db: Db; drop(): Promise<void> }[] = [];
  return {
    async listen(): Promise<{ server: Server; url: string }> {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    },
    async database(): Promise<Db> {
      const database = await freshDatabase();
      const db = createDb(database.url);
      databases.push({ db, drop: database.drop });
      await options.prepare?.(db);
      return db;
    },
    /** Stops the servers (their open connections too); `dropDatabases` after the apps are done with them. */
    async closeServers(): Promise<void> {
      for (const server of servers.splice(0)) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
    async dropDatabases(): Promise<void> {
      for (const { db, drop } of databases.splice(0)) {
        await db.destroy();
        await drop();
      }
    },
  };
}

export type AppHosts = ReturnType<typeof createAppHosts>;
