import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { createDb, type Db } from '@portal/db';
import { migrateRpKit } from '@portal/rp-kit';
import { freshDatabase, launchChromium, startTestPortal, type TestPortal } from '@portal/portal/testing';
import { createApp, type RegistryOptions } from '../../src/app.js';
import { prepareRegistry } from '../../src/prepare.js';

export interface RegistryFixture {
  t: TestPortal;
  appUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * What every ImmTrac2 browser test starts from: a test portal, Pat Provider of Hill Country
 * Pediatrics, the registry app registered and listening on a free port, and Chromium.
 */
export async function startRegistryFixture(options: {
  password: string;
  portal?: Parameters<typeof startTestPortal>[0];
  app?: Partial<RegistryOptions>;
}): Promise<RegistryFixture> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let t: TestPortal | undefined;
  let browser: Browser | undefined;
  // The app's own database (its sessions), fresh like the portal's.
  const database = await freshDatabase();
  let db: Db | undefined;
  const close = async () => {
    await browser?.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t?.close();
    await db?.destroy();
    await database.drop();
  };
  try {
    browser = await launchChromium();
    // The portal home links ImmTrac2 here (REGISTRY_URL), as the start command sets it.
    t = await startTestPortal({ ...options.portal, env: { REGISTRY_URL: appUrl, ...options.portal?.env } });
    await t.directory.createOrg({ code: 'PEDS01', iisId: '1000000001', name: 'Hill Country Pediatrics' });
    await t.directory.createUser({ username: 'pat', name: 'Pat Provider', email: 'pat@example.org', password: options.password, orgs: ['PEDS01:full_access_provider'] });
    const client = await t.directory.createClient({
      clientId: 'registry',
      name: 'ImmTrac2',
      app: 'registry',
    // Manage Users: the person's own token for the portal's admin API (as the demo client has).
    scopes: ['org:members'],
      redirectUris: [`${appUrl}/callback`],
      postLogoutRedirectUris: [`${appUrl}/`],
    });
    db = createDb(database.url);
    await migrateRpKit(db);
    await prepareRegistry(db, { demoData: true, demoClients: 200 });
    server.on('request', createApp({ issuerUrl: t.url, clientId: 'registry', clientSecret: client.client_secret!, baseUrl: appUrl, db, log: () => {}, ...options.app }));
    return { t, appUrl, browser, close };
  } catch (err) {
    await close(); // a failed set-up must not leave a server or a browser behind (or hang afterAll)
    throw err;
  }
}
