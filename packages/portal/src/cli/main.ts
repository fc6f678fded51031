import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { loadConfig, loadDotEnv, ConfigError } from '../config/index.js';
import { createPortal, type Portal } from '../portal.js';
import { migrate } from '../db/knex.js';
import { createDirectory, DirectoryError } from '../libraries/directory.js';
import { auditFilterInput, type ChainLink, type ExportFormat, type VerifyResult } from '../libraries/audit.js';
import { createLogger } from '../libraries/logger.js';
import { readFile } from 'node:fs/promises';
import { PortalError, messageFor } from '../libraries/errors.js';
import type { Actor } from '../libraries/administration/actors.js';
import { reasonCodes } from '../libraries/administration/reasons.js';
import { seedDirectory } from './seed-scale.js';
import { demoPassword } from './demo-data.js';

/**
 * The operator CLI (SPEC §6): `pnpm portal <command> [options]`. Exactly these commands; every one
 * takes --json and then prints one JSON object (audit:export prints the rows themselves), and --help.
 * Exit 0 done, 1 bad data (or a broken audit chain), 2 bad usage; never a stack trace.
 */
/** Every action on a person or a client needs a reason (issue #8), as in the console and the API. */
const reasonOptions = {
  'reason-code': { type: 'string' },
  reason: { type: 'string' },
  ticket: { type: 'string' },
  // Acting as a portal user (their role's rights and limits); without it, as the server's operator.
  actor: { type: 'string' },
} as const;

function supportCommand(name: string, summary: string) {
  return {
    options: { username: { type: 'string' }, ...reasonOptions },
    usage: `${name} --username U --reason-code CODE --reason "TEXT" [--ticket T] [--actor USERNAME]`,
    summary: `${summary}\nReason codes: ${Object.keys(reasonCodes).join(', ')}. The user is told by email.`,
  } as const;
}

const commands = {
  migrate: { options: {}, usage: 'migrate', summary: 'Apply the database migrations (the portal also applies them at start).' },
  'org:create': {
    options: { code: { type: 'string' }, 'iis-id': { type: 'string' }, name: { type: 'string' } },
    usage: 'org:create --code CODE --iis-id 0123456789 --name "Clinic"',
    summary: 'Create an organization. The TX IIS ID is exactly 10 digits; leading zeros are kept.',
  },
  'user:create': {
    options: {
      username: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      phone: { type: 'string' },
      password: { type: 'string' },
      temporary: { type: 'boolean' },
      role: { type: 'string' },
      org: { type: 'string', multiple: true },
    },
    usage: 'user:create --username U --email E [--name N] [--phone P] [--password P | --temporary] [--role helpdesk|admin] [--org CODE:ROLE[:primary|secondary]]...',
    summary: 'Create a user. --temporary prints a generated password, once; it must be changed at first sign-in.',
  },
  'user:unlock': supportCommand('user:unlock', 'Clear the failed sign-in counter and the lock of a user.'),
  'user:disable': supportCommand('user:disable', 'Disable a user: they cannot sign in, and every session of theirs ends everywhere (back-channel logout).'),
  'user:enable': supportCommand('user:enable', 'Re-enable a disabled user.'),
  'user:reset-code': supportCommand('user:reset-code', "Email a reset code to the user's address on file (it is never printed); the mail's link leads to a new password."),
  'user:temporary-password': supportCommand(
    'user:temporary-password',
    'Set a generated temporary password, printed once: it must be changed at the next sign-in and stops working after 72 hours unused.\nThe user is unlocked and signed out everywhere.',
  ),
  'user:sessions:end': supportCommand('user:sessions:end', 'End every session of a user everywhere: back-channel logout to every app, refresh tokens revoked.'),
  'user:second-factor:remove': supportCommand(
    'user:second-factor:remove',
    'Remove two-step verification (authenticator app and recovery codes) from a user, e.g. a lost phone, and end their sessions.\nThey sign in with their password and set up the app again.',
  ),
  'client:create': {
    options: {
      name: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      'post-logout-redirect-uri': { type: 'string', multiple: true },
      'backchannel-logout-uri': { type: 'string' },
      public: { type: 'boolean' },
      grant: { type: 'string', multiple: true },
      'auth-method': { type: 'string' },
      app: { type: 'string' },
      scope: { type: 'string', multiple: true },
      org: { type: 'string' },
    },
    usage:
      'client:create --name N [--redirect-uri URI]... [--post-logout-redirect-uri URI]... [--backchannel-logout-uri URI] [--public] [--grant authorization_code|client_credentials]... [--auth-method client_secret_basic|client_secret_post] [--app registry|enrollment|ordering] [--scope SCOPE]... [--org IIS_ID]',
    summary:
      'Register an OIDC client; the secret is printed once. Without --grant it signs people in (authorization_code, needs --redirect-uri).\n' +
      'Name each grant it may use: --grant client_credentials alone is a machine client (no redirect URIs);\n' +
      '--grant authorization_code --grant client_credentials does both.\n' +
      "An organization's HL7 exchange credentials: --grant client_credentials --scope hl7:submit --org 0123456789 (its TX IIS ID).",
  },
  'client:rotate-secret': {
    options: { 'client-id': { type: 'string' }, 'old-expires-in': { type: 'string' }, ...reasonOptions },
    usage: 'client:rotate-secret --client-id ID [--old-expires-in 24h] --reason-code CODE --reason "TEXT" [--ticket T] [--actor USERNAME]',
    summary: 'Give a client a new secret, printed once. The old one keeps working for --old-expires-in (0, 30m, 24h, 7d; default 24h), then fails.',
  },
  'aua:publish': {
    options: { file: { type: 'string' }, version: { type: 'string' }, ...reasonOptions },
    usage: 'aua:publish --file F [--version V] --reason-code CODE --reason "TEXT" [--ticket T] [--actor USERNAME]',
    summary: 'Publish a new Acceptable Use Agreement from a UTF-8 text file (version: today\'s date unless given). Everyone accepts it at their next sign-in.',
  },
  'keys:rotate': { options: {}, usage: 'keys:rotate', summary: 'Add a new signing key; older keys stay published. Every running instance signs with it within KEYS_REFRESH_SECONDS, no restart.' },
  'seed:scale': {
    options: { users: { type: 'string' }, orgs: { type: 'string' }, prefix: { type: 'string' }, password: { type: 'string' } },
    usage: 'seed:scale [--users 100000] [--orgs 20000] [--prefix user] [--password P]',
    summary:
      'Add a directory at planning scale for trying the help desk and for benchmarks: users PREFIX000000… in organizations, in bulk.\n' +
      'They all share one precomputed hash of --password (default: the demo password) and can sign in with it. Refused in production.',
  },
  'audit:verify': {
    options: { head: { type: 'string' } },
    usage: 'audit:verify [--head SEQ:HASH]',
    summary:
      'Check the audit log hash chain from its oldest row to its newest. Exits 1 naming the first row that was changed,\n' +
      'removed or moved. Prints the head (SEQ:HASH): keep it, and a later --head SEQ:HASH also catches a rewritten\n' +
      'chain and rows removed from its end.',
  },
  'audit:export': {
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      action: { type: 'string' },
      actor: { type: 'string' },
      subject: { type: 'string' },
      ip: { type: 'string' },
      format: { type: 'string' },
    },
    usage: 'audit:export [--from ISO] [--to ISO] [--action A] [--actor USERID] [--subject USERID] [--ip IP] [--format csv|jsonl]',
    summary:
      'Write the matching audit rows to stdout, oldest first: CSV with a header (default) or JSON lines (--format jsonl,\n' +
      'or --json). --from is inclusive, --to exclusive (2026-01-01 or 2026-01-01T08:00:00Z). The export is audited.',
  },
  'audit:purge': {
    options: {},
    usage: 'audit:purge',
    summary: 'Delete audit rows older than AUDIT_RETENTION_DAYS (the portal does this daily) and record an audit.purge row.',
  },
} as const;

type CommandName = keyof typeof commands;

class UsageError extends Error {}

function required(values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

function usageIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `--${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** What a command produced: printed as JSON with --json, else as text; exit 1 goes to stderr. */
interface Outcome {
  result: Record<string, unknown>;
  text?: string;
  exitCode?: number;
  /** The command wrote its own output (audit:export). */
  streamed?: boolean;
}

const grantNames = ['authorization_code', 'client_credentials'] as const;

/** `--actor USERNAME`: act with that staff member's rights and limits; otherwise as the operator. */
async function actorOf(portal: Portal, values: Record<string, unknown>): Promise<Actor> {
  if (values.actor === undefined) return { kind: 'operator' };
  const user = await portal.services.users.findByUsername(String(values.actor));
  if (!user || user.disabled_at || !user.system_role) throw new DirectoryError(`--actor ${String(values.actor)}: not an active help-desk or admin user`);
  return { kind: 'person', userId: user.id, username: user.username, role: user.system_role };
}

function reasonOf(values: Record<string, unknown>) {
  if (typeof values['reason-code'] !== 'string' || typeof values.reason !== 'string') {
    throw new UsageError(`--reason-code and --reason are required: every action needs a reason (codes: ${Object.keys(reasonCodes).join(', ')})`);
  }
  return { code: values['reason-code'], text: values.reason, ticket: values.ticket as string | undefined };
}

/** "0", "30m", "24h", "7d" → milliseconds. */
function durationMs(text: string): number {
  const match = /^(\d{1,4})(m|h|d)?$/.exec(text.trim());
  if (!match) throw new UsageError('--old-expires-in must be like 0, 30m, 24h or 7d');
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[(match[2] ?? 'h') as 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

async function run(name: CommandName, values: Record<string, unknown>, portal: Portal, json: boolean): Promise<Outcome> {
  const directory = createDirectory(portal.services, (m) => portal.provider.Client.validate(m as never));
  const { audit, config } = portal.services;
  switch (name) {
    case 'migrate':
      return { result: { migrated: await migrate(portal.services.db) } };
    case 'org:create':
      return { result: await directory.createOrg({ code: required(values, 'code'), iisId: required(values, 'iis-id'), name: required(values, 'name') }) };
    case 'user:create': {
      const role = values.role as string | undefined;
      if (role !== undefined && role !== 'helpdesk' && role !== 'admin') throw new UsageError('--role must be helpdesk or admin');
      return {
        result: await directory.createUser({
          username: required(values, 'username'),
          email: required(values, 'email'),
          name: values.name as string | undefined,
          phone: values.phone as string | undefined,
          password: values.password as string | undefined,
          temporary: Boolean(values.temporary),
          role,
          orgs: (values.org as string[] | undefined) ?? [],
        }),
      };
    }
    case 'user:unlock':
    case 'user:disable':
    case 'user:enable':
    case 'user:reset-code':
    case 'user:temporary-password':
    case 'user:sessions:end':
    case 'user:second-factor:remove': {
      const actor = await actorOf(portal, values);
      const reason = reasonOf(values);
      const username = required(values, 'username');
      const user = await portal.services.users.findByUsername(username);
      if (!user) throw new DirectoryError(`no user ${username}`);
      const support = portal.support;
      const context = { userAgent: 'portal-cli' };
      switch (name) {
        case 'user:unlock': {
          const { wasLocked } = await support.unlock(actor, user.id, reason, context);
          return { result: { username: user.username, unlocked: true, was_locked: wasLocked } };
        }
        case 'user:disable':
          return { result: { username: user.username, disabled: true, changed: (await support.disable(actor, user.id, reason, context)).changed } };
        case 'user:enable':
          return { result: { username: user.username, disabled: false, changed: (await support.enable(actor, user.id, reason, context)).changed } };
        case 'user:reset-code':
          return { result: { username: user.username, sent_to: (await support.sendResetCode(actor, user.id, reason, context)).sentTo } };
        case 'user:temporary-password': {
          const { temporaryPassword, expiresAt } = await support.setTemporaryPassword(actor, user.id, reason, context);
          return { result: { username: user.username, temporary_password: temporaryPassword, expires_at: new Date(expiresAt).toISOString() } };
        }
        case 'user:sessions:end':
          return { result: { username: user.username, sessions_ended: (await support.endSessions(actor, user.id, reason, context)).sessions } };
        case 'user:second-factor:remove':
          return { result: { username: user.username, second_factor_removed: (await support.removeSecondFactor(actor, user.id, reason, context)).removed } };
      }
      break;
    }
    case 'client:rotate-secret': {
      const actor = await actorOf(portal, values);
      const reason = reasonOf(values);
      const overlap = durationMs(values['old-expires-in'] === undefined ? '24h' : String(values['old-expires-in']));
      const rotated = await portal.administration.rotateSecret(actor, required(values, 'client-id'), overlap, reason, { userAgent: 'portal-cli' });
      return { result: { client_id: rotated.clientId, client_secret: rotated.clientSecret, old_secret_expires_at: new Date(rotated.previousSecretExpiresAt).toISOString() } };
    }
    case 'aua:publish': {
      const actor = await actorOf(portal, values);
      const reason = reasonOf(values);
      const file = required(values, 'file');
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        throw new DirectoryError(`cannot read ${file}`);
      }
      const version = (values.version as string | undefined) ?? new Date(portal.services.clock.now()).toISOString().slice(0, 10);
      const published = await portal.administration.publishAua(actor, { version, text }, reason, { userAgent: 'portal-cli' });
      return { result: { version: published.version, note: 'Everyone accepts the new text at their next sign-in.' } };
    }
    case 'client:create': {
      const grants = [...new Set((values.grant as string[] | undefined) ?? [])];
      for (const g of grants) if (!(grantNames as readonly string[]).includes(g)) throw new UsageError(`--grant ${g}: must be authorization_code or client_credentials`);
      const authMethod = values['auth-method'] as string | undefined;
      if (authMethod !== undefined && authMethod !== 'client_secret_basic' && authMethod !== 'client_secret_post') {
        throw new UsageError('--auth-method must be client_secret_basic or client_secret_post');
      }
      const app = values.app as string | undefined;
      if (app !== undefined && !['registry', 'enrollment', 'ordering'].includes(app)) throw new UsageError('--app must be registry, enrollment or ordering');
      return {
        result: await directory.createClient({
          name: required(values, 'name'),
          redirectUris: (values['redirect-uri'] as string[] | undefined) ?? [],
          postLogoutRedirectUris: (values['post-logout-redirect-uri'] as string[] | undefined) ?? [],
          backchannelLogoutUri: values['backchannel-logout-uri'] as string | undefined,
          public: Boolean(values.public),
          grants: grants as (typeof grantNames)[number][],
          authMethod: authMethod as 'client_secret_basic' | 'client_secret_post' | undefined,
          app: app as 'registry' | 'enrollment' | 'ordering' | undefined,
          // What a machine client may ask for, e.g. the admin API's helpdesk:read (docs/admin-api.md).
          scopes: (values.scope as string[] | undefined) ?? [],
          // HL7 exchange credentials: the organization every token of this client submits for.
          orgIisId: values.org as string | undefined,
        }),
      };
    }
    case 'keys:rotate': {
      const kid = await portal.services.signingKeys.rotate();
      return { result: { kid, note: 'New key added; older keys stay published. Every running instance signs with it within KEYS_REFRESH_SECONDS.' } };
    }
    case 'seed:scale': {
      if (config.env === 'production') throw new DirectoryError('seed:scale makes accounts with a shared password: refused in production');
      const count = (name: string, fallback: number, max: number) => {
        const raw = values[name] === undefined ? String(fallback) : String(values[name]);
        if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}`);
        return Number(raw);
      };
      const users = count('users', 100_000, 1_000_000);
      const orgs = count('orgs', 20_000, 200_000);
      const prefix = (values.prefix as string | undefined) ?? 'user';
      if (!/^[a-z][a-z0-9]{0,19}$/.test(prefix)) throw new UsageError('--prefix: 1–20 lower-case letters and digits, starting with a letter');
      const password = (values.password as string | undefined) ?? demoPassword;
      const started = Date.now();
      const seeded = await seedDirectory(portal.services.db, { users, orgs, prefix, passwordHash: await portal.services.passwords.hash(password), now: portal.services.clock.now() });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      return {
        result: { users: seeded.users, orgs: seeded.orgs, first_username: seeded.firstUsername, seconds: Number(seconds) },
        text: `Added ${seeded.users.toLocaleString('en-US')} users in ${seeded.orgs.toLocaleString('en-US')} organizations in ${seconds} s. They sign in as ${seeded.firstUsername}… with the password given (or the demo password).`,
      };
    }
    case 'audit:verify': {
      let head: ChainLink | undefined;
      if (values.head !== undefined) {
        const match = /^([1-9]\d*):([0-9a-f]{64})$/i.exec(String(values.head).trim());
        if (!match) throw new UsageError('--head must be SEQ:HASH as audit:verify printed it (e.g. 1234:9f86d0…, 64 hex digits)');
        head = { seq: Number(match[1]), hash: match[2]!.toLowerCase() };
      }
      return verifyOutcome(await audit.verify({ head }), head);
    }
    case 'audit:export': {
      const parsed = auditFilterInput.safeParse({ from: values.from, to: values.to, action: values.action, actor: values.actor, subject: values.subject, ip: values.ip });
      if (!parsed.success) throw new UsageError(usageIssues(parsed.error));
      const format = (values.format as string | undefined) ?? (json ? 'jsonl' : 'csv');
      if (format !== 'csv' && format !== 'jsonl') throw new UsageError('--format must be csv or jsonl');
      if (json && format !== 'jsonl') throw new UsageError('--json means --format jsonl; give one or the other');
      await writeAll(audit.export(parsed.data, { format: format as ExportFormat, via: 'cli' }));
      return { result: {}, streamed: true };
    }
    case 'audit:purge': {
      const purged = await audit.purge({ retentionDays: config.auditRetentionDays, via: 'cli' });
      return {
        result: { deleted: purged.deleted, before: purged.before, retention_days: config.auditRetentionDays },
        text: purged.deleted
          ? `Deleted ${purged.deleted} audit rows recorded before ${purged.before} (retention ${config.auditRetentionDays} days); an audit.purge row records it.`
          : `Nothing to delete: no audit row was recorded before ${purged.before} (retention ${config.auditRetentionDays} days).`,
      };
    }
  }
}

function verifyOutcome(r: VerifyResult, head: ChainLink | undefined): Outcome {
  if (!r.ok) {
    return {
      result: { ok: false, rows_checked: r.rows, broken_id: r.brokenId, problem: r.problem, message: r.message },
      text: `Audit log BROKEN at row ${r.brokenId} (${r.problem}): ${r.message}`,
      exitCode: 1,
    };
  }
  const lines = [
    `Audit log intact: ${r.rows} ${r.rows === 1 ? 'row' : 'rows'}${r.startsAfter ? `, starting after purged entry #${r.startsAfter.seq}` : ''}.`,
    r.head ? `head: ${r.head.seq}:${r.head.hash} (row ${r.head.id})` : 'head: none (the log is empty)',
  ];
  if (head) lines.push(r.headChecked ? `The head given (#${head.seq}) is still in the chain, unchanged.` : `The head given (#${head.seq}) was purged since; not checked.`);
  return {
    result: {
      ok: true,
      rows: r.rows,
      head: r.head ? `${r.head.seq}:${r.head.hash}` : null,
      head_row_id: r.head?.id ?? null,
      starts_after_seq: r.startsAfter?.seq ?? null,
      ...(head ? { head_checked: r.headChecked } : {}),
    },
    text: lines.join('\n'),
  };
}

/** Streams to stdout at the pace the reader takes it; a reader that goes away (`| head`) ends it quietly. */
async function writeAll(chunks: AsyncIterable<string>): Promise<void> {
  const out = process.stdout;
  let failure: NodeJS.ErrnoException | undefined;
  const onError = (err: NodeJS.ErrnoException) => (failure = err);
  out.on('error', onError);
  try {
    for await (const chunk of chunks) {
      if (failure) break;
      if (!out.write(chunk)) await new Promise((resolve) => (out.once('drain', resolve), out.once('error', resolve)));
    }
  } finally {
    out.off('error', onError);
  }
  if (failure && failure.code !== 'EPIPE') throw failure;
}

function human(result: Record<string, unknown>): string {
  return Object.entries(result)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') || '(none)' : String(v)}`)
    .join('\n');
}

function usage(): string {
  return (
    `Usage: pnpm portal <command> [options] [--json]\n\nCommands:\n${Object.values(commands).map((c) => `  ${c.usage}`).join('\n')}\n\n` +
    'pnpm portal <command> --help explains one command.'
  );
}

function commandHelp(name: CommandName): string {
  const c = commands[name];
  return `Usage: pnpm portal ${c.usage} [--json]\n\n${c.summary}`;
}

export async function cli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic && topic in commands) {
      console.log(commandHelp(topic as CommandName));
      return 0;
    }
    console.log(usage());
    return name ? 0 : 2;
  }
  if (!(name in commands)) {
    console.error(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  const command = commands[name as CommandName];
  // Before parsing: `--help` answers even next to options that would not parse.
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(commandHelp(name as CommandName));
    return 0;
  }
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: rest, options: { ...command.options, json: { type: 'boolean' } }, strict: true, allowPositionals: false }));
  } catch (err) {
    console.error(`${(err as Error).message}\nUsage: pnpm portal ${command.usage}`);
    return 2;
  }
  const json = Boolean(values.json);

  let portal: Portal | undefined;
  try {
    loadDotEnv();
    const config = loadConfig();
    // Operators read results, not request logs.
    portal = await createPortal(config, { logger: createLogger('warn') });
    const outcome = await run(name as CommandName, values, portal, json);
    if (outcome.streamed) return 0;
    const exitCode = outcome.exitCode ?? 0;
    if (json) console.log(JSON.stringify(outcome.result));
    else if (exitCode === 0) console.log(outcome.text ?? human(outcome.result));
    else console.error(outcome.text ?? human(outcome.result));
    return exitCode;
  } catch (err) {
    const known = err instanceof DirectoryError || err instanceof UsageError || err instanceof ConfigError;
    // A refusal of the library (no such user, not allowed, a bad reason) reads as it does on the pages.
    const message =
      err instanceof PortalError
        ? messageFor(err.code, { support: '', ...err.params }).trim()
        : known
          ? (err as Error).message
          : `unexpected failure: ${(err as Error).message}`;
    if (json) console.log(JSON.stringify({ error: message }));
    console.error(err instanceof UsageError ? `${message}\nUsage: pnpm portal ${command.usage}` : message);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    await portal?.close();
  }
}

process.exitCode = await cli(process.argv.slice(2));
