import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { commonStaticDir, pageContextMiddleware, uswdsStaticDirs } from '@portal/common';
import type Provider from 'oidc-provider';
import type { PortalConfig } from './config/index.js';
import { createDb, migrate, unitOfWork, withDatabaseLock, type Db } from './db/knex.js';
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
import { createCaptchaAudio } from './libraries/captcha-audio.js';
import { createFlowStore } from './libraries/flow-store.js';
import { createPasswordHistoryQueries } from './queries/password-history.js';
import { createSecurityAnswerQueries } from './queries/security-answers.js';
import { createAuaQueries } from './queries/aua.js';
import { createPendingSessionEndQueries } from './queries/pending-session-ends.js';
import { createActionCounterQueries } from './queries/action-counters.js';
import { createQuestionCatalogueQueries } from './queries/question-catalogue.js';
import { createQuestionCatalogue } from './libraries/question-catalogue.js';
import { createSupport } from './libraries/administration/support.js';
import { createAdministration } from './libraries/administration/admin.js';
import { createQuestionAdministration } from './libraries/administration/questions.js';
import { createAuditLog } from './libraries/administration/audit-log.js';
import { createOrgMembers } from './libraries/administration/org-members.js';
import { createHl7Credentials } from './libraries/administration/hl7-credentials.js';
import { createDirectory } from './libraries/directory.js';
import { createMetrics } from './libraries/metrics.js';
import { createSealer } from './libraries/sealed.js';
import { createPasskeys, createRecoveryCodes, createSecondFactors, createTotp } from './libraries/factors/index.js';
import { createPasskeyQueries } from './queries/passkeys.js';
import { createWebAuthnChallenges } from './libraries/webauthn-challenges.js';
import { createSecondFactorQueries } from './queries/second-factors.js';
import { createPasswordPolicy, loadCommonPasswords } from './libraries/password-policy.js';
import { createOneTimeCodes } from './libraries/one-time-codes.js';
import { createMailer } from './libraries/mailer.js';
import { createPasswordChanger } from './flows/password-change/change-password.js';
import { createAua } from './flows/aua/aua.js';
import { createSecurityQuestions } from './flows/security-questions/security-questions.js';
import { createSignInSteps } from './flows/sign-in/steps.js';
import { createTotpEnrolment } from './flows/second-factor/totp-enrolment.js';
import { createPasskeyEnrolment } from './flows/second-factor/passkey-enrolment.js';
import { createProvider } from './oidc/provider.js';
import { createKeyRing } from './oidc/key-ring.js';
import { createSignInFlow } from './flows/sign-in/sign-in.js';
import { createInteractionRoutes, createSignInContinuation } from './routes/interaction.js';
import { createRecoveryRoutes } from './routes/recovery.js';
import { createRecovery } from './flows/recovery/recovery.js';
import { createSessionTerminator } from './oidc/sessions.js';
import { createHealthRoutes, type Lifecycle } from './routes/health.js';
import { createMetricsRoutes } from './routes/metrics.js';
import { requestLog } from './routes/request-log.js';
import { createAccountRoutes } from './routes/account.js';
import { createProfileRoutes } from './routes/profile.js';
import { createSessionRoutes } from './routes/session.js';
import { createFormGuards } from './routes/form-guards.js';
import { createOidcPostRoutes } from './routes/oidc-post.js';
import { createHelpdeskRoutes } from './routes/helpdesk.js';
import { createTwoStepRoutes } from './routes/two-step.js';
import { createAdminAuditRoutes } from './routes/admin-audit.js';
import { adminApiPath, createAdminApiRoutes } from './routes/admin-api.js';
import { createAdminRoutes } from './routes/admin.js';
import { ensurePortalClient } from './oidc/portal-client.js';
import { errorHandler, notFound } from './routes/errors.js';
import { refuseNul } from './routes/refuse-nul.js';
import { createSecurityHeaders } from './routes/security-headers.js';
import { passkeyBrowserScript } from './views/passkeys.js';

export interface PortalOptions {
  clock?: Clock;
  logger?: Logger;
  /** Draws CAPTCHA pictures; tests inject one whose answers they know. */
  captchaGenerator?: CaptchaGenerator;
  /** Where mail goes when SMTP_URL is unset (main.ts starts the development mail catcher). */
  smtpUrl?: string;
  /** An already-open database (tests share one across a restart); otherwise DATABASE_URL is opened. */
  db?: Db;
  /** Process-wide metrics (CPU, memory, event loop) in /metrics: main.ts, one portal per process. */
  processMetrics?: boolean;
}

// The bundled common-password list is immutable data: read once per process, shared by every portal.
let commonPasswords: Set<string> | undefined;

/** Everything a running portal is made of; tests and the CLI build the same thing. */
export async function createServices(config: PortalConfig, options: PortalOptions = {}) {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = options.db ?? createDb(config.databaseUrl);
  await migrate(db);
  const transaction = unitOfWork(db);

  const users = createUserQueries(db);
  const orgs = createOrgQueries(db);
  const clients = createClientQueries(db);
  const keys = createKeyQueries(db);
  const payloads = createOidcPayloadQueries(db);
  const signInCounters = createSignInCounterQueries(db);
  const metrics = createMetrics({ db, processMetrics: options.processMetrics });
  const audit = createAudit({ queries: createAuditQueries(db), clock, onRecorded: metrics.audited });
  const passwords = createPasswordHasher(config.argon2);
  const signingKeys = createSigningKeys({ keys, now: () => clock.now() });
  // Keys shared by every instance: generated once into the database unless the operator sets them.
  const now = clock.now();
  const cookieKeys = config.cookieKeys ? [...config.cookieKeys] : [await keys.ensureSecret('cookie_key', randomToken(32), now)];
  const serverKey = await keys.ensureSecret('csrf_key', randomToken(32), now);
  const csrf = createCsrf(serverKey);
  const captchaAudio = createCaptchaAudio({ espeakPath: config.espeakPath, logger });
  // Checked now so that a missing espeak-ng is logged once at start, not on someone's sign-in.
  void captchaAudio.available();
  const captchas = createCaptchas({
    queries: createCaptchaQueries(db),
    clock,
    key: serverKey,
    sealer: createSealer(await keys.ensureSecret('captcha_key', randomToken(32), now)),
    audio: captchaAudio,
    generate: options.captchaGenerator,
  });
  const flows = createFlowStore({ queries: createFlowQueries(db), clock, csrf, unitOfWork: transaction });

  const passwordHistory = createPasswordHistoryQueries(db);
  const passwordPolicy = createPasswordPolicy({
    minLength: config.passwordPolicy.minLength,
    historySize: config.passwordPolicy.historySize,
    commonPasswords: (commonPasswords ??= loadCommonPasswords()),
  });
  const passwordChanger = createPasswordChanger({ users, passwordHistory, passwords, passwordPolicy, historySize: config.passwordPolicy.historySize, audit, clock, unitOfWork: transaction });
  const aua = createAua({ queries: createAuaQueries(db), audit, clock, maxAgeDays: config.auaMaxAgeDays });
  await aua.ensureBundledVersion();
  const questionCatalogue = await createQuestionCatalogue({ queries: createQuestionCatalogueQueries(db), now });
  const securityQuestions = createSecurityQuestions({ answers: createSecurityAnswerQueries(db), passwords, audit, clock, questionCatalogue });
  const factorQueries = createSecondFactorQueries(db);
  const factors = createSecondFactors({
    totp: createTotp({ queries: factorQueries, sealer: createSealer(await keys.ensureSecret('factor_key', randomToken(32), now)), clock, issuer: 'HHS Enterprise Portal' }),
    recoveryCodes: createRecoveryCodes({ queries: factorQueries, clock, key: await keys.ensureSecret('recovery_code_key', randomToken(32), now) }),
    // WebAuthn's relying party is the portal's host (rp ID) and origin, as PORTAL_URL names them.
    passkeys: createPasskeys({ queries: createPasskeyQueries(db), clock, rp: { id: new URL(config.portalUrl).hostname, origin: new URL(config.portalUrl).origin, name: 'HHS Enterprise Portal' } }),
    queries: factorQueries,
  });
  const signInSteps = createSignInSteps({ aua, securityQuestions, factors, clock, passwordPolicy: config.passwordPolicy, mfa: config.mfa });
  const oneTimeCodes = createOneTimeCodes({ key: await keys.ensureSecret('one_time_code_key', randomToken(32), now), digits: config.recovery.codeDigits });
  const questionKey = await keys.ensureSecret('security_question_key', randomToken(32), now);
  const smtpUrl = config.mail.smtpUrl ?? options.smtpUrl;
  const mailer = smtpUrl ? createMailer({ smtpUrl, from: config.mail.from, logger }) : undefined;
  const totpEnrolment = createTotpEnrolment({ factors, audit, clock, mailer, logger, unitOfWork: transaction, config });
  const passkeyEnrolment = createPasskeyEnrolment({ factors, audit, clock, mailer, logger, unitOfWork: transaction, config });
  const webauthnChallenges = createWebAuthnChallenges({ flows });

  return {
    config, clock, logger, db, metrics, users, orgs, clients, keys, payloads, signInCounters, audit, passwords, signingKeys,
    cookieKeys, serverKey, csrf, captchas, flows, lockout: config.lockout, passwordHistory, passwordPolicy, passwordChanger,
    aua, securityQuestions, questionCatalogue, signInSteps, oneTimeCodes, questionKey, mailer, unitOfWork: transaction, factors, totpEnrolment,
    passkeyEnrolment, webauthnChallenges,
    pendingSessionEnds: createPendingSessionEndQueries(db),
  };
}

export type Services = Awaited<ReturnType<typeof createServices>>;

export interface Portal {
  app: Express;
  provider: Provider;
  services: Services;
  sessions: ReturnType<typeof createSessionTerminator>;
  /** The help desk's work (search, status card, caller verification, actions): pages, API and CLI share it. */
  support: ReturnType<typeof createSupport>;
  /** Administration (users, roles, organizations, memberships, applications, AUA): pages, API and CLI share it. */
  administration: ReturnType<typeof createAdministration>;
  /** The security-question catalogue's administration. */
  questions: ReturnType<typeof createQuestionAdministration>;
  /** Searching and exporting the audit log (`audit:read`). */
  auditLog: ReturnType<typeof createAuditLog>;
  /** An organization's users, managed by its supervisors and state staff (and administrators). */
  members: ReturnType<typeof createOrgMembers>;
  /** An organization's HL7 exchange credentials (Syntropi's "Connectivity and Transport"). */
  hl7Credentials: ReturnType<typeof createHl7Credentials>;
  /** Whether the instance is draining (SIGTERM): `/readyz` fails, answers close their connections. */
  lifecycle: Lifecycle;
  /** Removes expired oidc-provider rows (and, once a day, audit rows past retention); main.ts runs it on a timer. */
  sweep(): Promise<number>;
  close(): Promise<void>;
}

export async function createPortal(config: PortalConfig, options: PortalOptions = {}): Promise<Portal> {
  const services = await createServices(config, options);
  const { clock, logger, db, csrf } = services;

  await ensurePortalClient(services.clients, config, clock.now());
  const keyRing = createKeyRing(await services.signingKeys.load());
  const securityHeaders = createSecurityHeaders(config);
  const provider = createProvider({ ...services, keyRing, securityHeaders: securityHeaders.apply });
  // keys:rotate on any instance: every instance signs with the new key within the interval.
  const refreshKeys = async () => {
    if (keyRing.replace(await services.signingKeys.load())) logger.info({ kid: keyRing.currentKid() }, 'signing keys reloaded');
  };
  const keyRefresh = setInterval(() => void refreshKeys().catch((err: Error) => logger.error({ err: err.message }, 'signing key reload failed')), config.keysRefreshSeconds * 1000);
  keyRefresh.unref();
  const signIn = createSignInFlow(services);
  const actionCounters = createActionCounterQueries(db);
  const guards = createFormGuards({ config, counters: actionCounters, clock, serverKey: services.serverKey });
  const sessions = createSessionTerminator({ provider, payloads: services.payloads, pending: services.pendingSessionEnds, logger, clock });
  const recovery = createRecovery({
    ...services,
    sessions,
    policy: config.recovery,
    supportContact: config.supportContact,
    timeZone: config.mail.timeZone,
    portalUrl: config.portalUrl,
  });
  const support = createSupport({
    ...services,
    recovery,
    sessions,
    auaQueries: createAuaQueries(db),
    auditQueries: createAuditQueries(db),
    actionCounters,
  });
  const directory = createDirectory(services, (m) => provider.Client.validate(m as never));
  const administration = createAdministration({
    ...services,
    supportContact: config.supportContact,
    timeZone: config.mail.timeZone,
    directory,
    validateClient: (m) => provider.Client.validate(m as never),
  });
  const hl7Credentials = createHl7Credentials({ ...services, directory });
  const auditLog = createAuditLog(services);
  const members = createOrgMembers(services);
  const questions = createQuestionAdministration({ ...services, queries: createQuestionCatalogueQueries(db), catalogue: services.questionCatalogue });

  const lifecycle: Lifecycle = { draining: false };
  provider.on('grant.success', (ctx: { oidc: { params?: { grant_type?: unknown } } }) => services.metrics.tokenIssued(String(ctx.oidc.params?.grant_type)));
  const providerCallback = provider.callback();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', Array.isArray(config.trustProxy) ? [...config.trustProxy] : config.trustProxy);
  app.use(requestLog({ logger, metrics: services.metrics, lifecycle }));
  app.use(refuseNul({ protocolJson: (path) => machinePaths.test(path), cookieNames: config.cookieNames }));
  // Relying parties' machine endpoints answer JSON: straight to oidc-provider, before the HTML
  // pages' security headers and the portal's routes (a product on a library should cost little
  // over it, issue #9). oidc-provider sets their caching headers itself; an HTML error page there
  // sets the pages' headers itself (renderError, the error handler: routes/security-headers.ts).
  // Every page drawn for this request, the protocol's own included, wears the configured agency's
  // chrome in the person's language (?lang=, the language cookie, Accept-Language).
  app.use(pageContextMiddleware({ agency: config.agency, cookieName: config.cookieNames.lang, secure: config.secureCookies }));
  app.use((req, res, next) => {
    if (!machinePaths.test(req.path)) return next();
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req.path === '/jwks' && req.method === 'GET') {
      // The ring's set, not oidc-provider's start-up copy: a rotated key is published at once.
      res.type('application/jwk-set+json; charset=utf-8').send(keyRing.jwks());
      return;
    }
    providerCallback(req, res);
  });
  app.use(securityHeaders.middleware);
  app.use('/static/common', express.static(commonStaticDir, { maxAge: '1h' }));
  // USWDS's stylesheet, fonts and icons, from the installed package (dotfiles: under node_modules/.pnpm).
  for (const [folder, dir] of Object.entries(uswdsStaticDirs)) app.use(`/static/uswds/${folder}`, express.static(dir, { maxAge: '1d', dotfiles: 'allow' }));
  // The browser half of WebAuthn, from the installed package (the lockfile's version, no CDN).
  // (pnpm keeps packages under node_modules/.pnpm: a dot directory `send` would otherwise refuse.)
  app.get(passkeyBrowserScript, (_req, res) => res.sendFile(simpleWebAuthnBrowserBundle, { maxAge: '1h', dotfiles: 'allow' }));
  app.use('/static', express.static(fileURLToPath(new URL('./static', import.meta.url)), { maxAge: '1h' }));
  app.use(createHealthRoutes({ db, lifecycle }));
  app.use(createMetricsRoutes({ metrics: services.metrics, token: config.metricsToken }));
  app.use(createAccountRoutes({ ...services, provider, sessions, guards }));
  app.use(createSessionRoutes({ ...services, provider, sessions }));
  app.use(createProfileRoutes({ ...services, provider, sessions, guards }));
  app.use(createTwoStepRoutes({ ...services, provider, guards }));
  app.use(createHelpdeskRoutes({ ...services, provider, support, guards }));
  app.use(createAdminAuditRoutes({ ...services, provider, auditLog }));
  app.use(adminApiPath, createAdminApiRoutes({ ...services, provider, support, administration, auditLog, questions, members, hl7Credentials }));
  app.use(createAdminRoutes({ ...services, provider, support, administration, questions, guards }));
  app.use(
    createInteractionRoutes({
      ...services,
      provider,
      signIn,
      steps: services.signInSteps,
      recovery,
      guards,
    }),
  );
  app.use(
    createRecoveryRoutes({
      ...services,
      recovery,
      guards,
      continueSignIn: createSignInContinuation({ flows: services.flows, users: services.users, steps: services.signInSteps }),
    }),
  );
  app.use(createOidcPostRoutes());
  // Only oidc-provider's own endpoints reach it, so every other address gets our 404 page.
  app.use((req, res, next) => (oidcPaths.test(req.path) ? providerCallback(req, res) : next()));
  app.use(notFound());
  app.use(errorHandler({ config, logger, securityHeaders: securityHeaders.apply }));

  // Retention is counted in days, so once a day per instance is enough; the chain lock keeps purges apart.
  let nextAuditPurgeAt = 0;
  const purgeAuditIfDue = async (now: number): Promise<number> => {
    if (now < nextAuditPurgeAt) return 0;
    nextAuditPurgeAt = now + 86_400_000;
    return (await services.audit.purge({ retentionDays: config.auditRetentionDays, via: 'sweeper' })).deleted;
  };

  return {
    app,
    provider,
    services,
    sessions,
    support,
    administration,
    questions,
    auditLog,
    members,
    hl7Credentials,
    lifecycle,
    // One instance at a time (a database lock; the others skip this round), and idempotent: a
    // sweep cut short by a crash is finished by the next one.
    async sweep() {
      const swept = await withDatabaseLock(db, 'portal:sweep', { wait: false }, async () => {
        const now = clock.now();
        const counts = await Promise.all([
          sessions.expireStale({ idleMs: config.sessionIdleMinutes * 60_000, maxMs: config.sessionMaxHours * 3600_000 }),
          sessions.retryPending(),
          services.payloads.deleteExpired(now),
          services.flows.deleteExpired(now),
          services.captchas.deleteExpired(now),
          actionCounters.deleteBefore(now - 24 * 3600_000),
          purgeAuditIfDue(now),
        ]);
        return counts.reduce((a, b) => a + b, 0);
      });
      // Every instance's own copies: another instance's administrator may have changed the catalogue.
      await services.questionCatalogue.refresh();
      return swept ?? 0;
    },
    async close() {
      clearInterval(keyRefresh);
      services.mailer?.close();
      if (!options.db) await db.destroy();
    },
  };
}

/** @simplewebauthn/browser's UMD bundle (window.SimpleWebAuthnBrowser), served at `passkeyBrowserScript`. */
const simpleWebAuthnBrowserBundle = join(dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js');

// `/request`: pushed authorization requests (RFC 9126), which discovery advertises.
const machinePaths = /^\/(token|request|jwks|me|\.well-known\/openid-configuration)(\/|$)/;
const oidcPaths = /^\/(auth|token|request|jwks|me|session\/end|\.well-known\/openid-configuration)(\/|$)/;

