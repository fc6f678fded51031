import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type Provider from 'oidc-provider';
import type { PortalConfig } from './config/index.js';
import { createDb, migrate, type Db } from './db/knex.js';
import { systemClock, type Clock } from './libraries/clock.js';
import { createLogger, type Logger } from './libraries/logger.js';
import { createPasswordHasher } from './libraries/passwords.js';
import { createAudit } from './libraries/audit.js';
import { createCsrf } from './libraries/csrf.js';
import { randomToken } from './libraries/secrets.js';
import { createSigningKeys } from './libraries/signing-keys.js';
import { createUserQueries } from './queries/users.js';
import { createOrgQueries } from './queries/orgs.js';
import { createClientQueries } from './queries/clients.js';
import { createKeyQueries } from './queries/keys.js';
import { createAuditQueries } from './queries/audit.js';
import { createOidcPayloadQueries } from './queries/oidc-payloads.js';
import { createSignInCounterQueries } from './queries/sign-in-counters.js';
import { createCaptchaQueries } from './queries/captchas.js';
import { createFlowQueries } from './queries/flows.js';
import { createCaptchas, type CaptchaGenerator } from './libraries/captcha.js';
import { createFlowStore } from './libraries/flow-store.js';
import { createProvider } from './oidc/provider.js';
import { createSignInFlow } from './flows/sign-in/sign-in.js';
import { createInteractionRoutes } from './routes/interaction.js';
import { createHealthRoutes } from './routes/health.js';
import { createPageRoutes } from './routes/pages.js';
import { errorHandler, notFound } from './routes/errors.js';

export interface PortalOptions {
  clock?: Clock;
  logger?: Logger;
  /** Draws CAPTCHA pictures; tests inject one whose answers they know. */
  captchaGenerator?: CaptchaGenerator;
  /** An already-open database (tests share one across a restart); otherwise DATABASE_URL is opened. */
  db?: Db;
}

/** Everything a running portal is made of; tests and the CLI build the same thing. */
export async function createServices(config: PortalConfig, options: PortalOptions = {}) {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = options.db ?? createDb(config.databaseUrl);
  await migrate(db);

  const users = createUserQueries(db);
  const orgs = createOrgQueries(db);
  const clients = createClientQueries(db);
  const keys = createKeyQueries(db);
  const payloads = createOidcPayloadQueries(db);
  const signInCounters = createSignInCounterQueries(db);
  const audit = createAudit({ queries: createAuditQueries(db), clock });
  const passwords = createPasswordHasher(config.argon2);
  const signingKeys = createSigningKeys({ keys, now: () => clock.now() });
  // Keys shared by every instance: generated once into the database unless the operator sets them.
  const now = clock.now();
  const cookieKeys = config.cookieKeys ? [...config.cookieKeys] : [await keys.ensureSecret('cookie_key', randomToken(32), now)];
  const serverKey = await keys.ensureSecret('csrf_key', randomToken(32), now);
  const csrf = createCsrf(serverKey);
  const captchas = createCaptchas({ queries: createCaptchaQueries(db), clock, key: serverKey, generate: options.captchaGenerator });
  const flows = createFlowStore({ queries: createFlowQueries(db), clock, csrf });

  return {
    config, clock, logger, db, users, orgs, clients, keys, payloads, signInCounters, audit, passwords, signingKeys,
    cookieKeys, serverKey, csrf, captchas, flows, lockout: config.lockout,
  };
}

export type Services = Awaited<ReturnType<typeof createServices>>;

export interface Portal {
  app: Express;
  provider: Provider;
  services: Services;
  /** Removes expired oidc-provider rows; main.ts runs it on a timer. */
  sweep(): Promise<number>;
  close(): Promise<void>;
}

export async function createPortal(config: PortalConfig, options: PortalOptions = {}): Promise<Portal> {
  const services = await createServices(config, options);
  const { clock, logger, db, csrf } = services;

  const provider = createProvider({ ...services, signingKeys: await services.signingKeys.load() });
  const signIn = createSignInFlow(services);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          scriptSrc: ["'self'"],
          formAction: ["'self'", ...appOrigins(config)],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          connectSrc: ["'self'"],
        },
      },
      strictTransportSecurity: config.secureCookies,
    }),
  );
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    // Path only: query strings can carry codes and tokens, which never reach a log.
    res.on('finish', () =>
      logger.info({ method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request'),
    );
    next();
  });
  app.use('/static', express.static(fileURLToPath(new URL('./static', import.meta.url)), { maxAge: '1h' }));
  app.use(createHealthRoutes({ db }));
  app.use(createPageRoutes({ config }));
  app.use(createInteractionRoutes({ config, provider, csrf, signIn, captchas: services.captchas }));
  // Only oidc-provider's own endpoints reach it, so every other address gets our 404 page.
  const providerCallback = provider.callback();
  app.use((req, res, next) => (oidcPaths.test(req.path) ? providerCallback(req, res) : next()));
  app.use(notFound());
  app.use(errorHandler({ config, logger }));

  return {
    app,
    provider,
    services,
    async sweep() {
      const now = clock.now();
      const counts = await Promise.all([services.payloads.deleteExpired(now), services.flows.deleteExpired(now), services.captchas.deleteExpired(now)]);
      return counts.reduce((a, b) => a + b, 0);
    },
    async close() {
      if (!options.db) await db.destroy();
    },
  };
}

const oidcPaths = /^\/(auth|token|jwks|me|session\/end|\.well-known\/openid-configuration)(\/|$)/;

/** The apps' origins: RP-initiated logout and form_post send the browser there. */
function appOrigins(config: PortalConfig): string[] {
  return Object.values(config.apps).map((a) => new URL(a.url).origin);
}
