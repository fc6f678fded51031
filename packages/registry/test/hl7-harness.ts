import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import request from 'supertest';
import { createDb, type Db } from '@portal/db';
import { migrateRpKit } from '@portal/rp-kit';
import { freshDatabase } from '@portal/portal/testing';
import { createApp, type RegistryOptions } from '../src/app.js';
import { prepareRegistry } from '../src/prepare.js';

/** The shared public samples, read in place (never copied) from ../shared/testdata/iis/samples/ beside the checkout. */
export const samplesDir = fileURLToPath(new URL('../../../../shared/testdata/iis/samples/', import.meta.url));
export const sampleNames = readdirSync(samplesDir).filter((f) => f.endsWith('.hl7')).sort();
export const sample = (name: string): Buffer => readFileSync(`${samplesDir}${name}`);
export const crOnly = (bytes: Buffer): Buffer => Buffer.from(bytes.toString('utf8').replace(/\r\n|\n|\r/g, '\r'), 'utf8');

export const registryUrl = 'http://registry.test';
export const audience = `${registryUrl}/hl7/v2`;

/**
 * A stand-in for the portal's token side: an RSA key pair, its JWKS and discovery document on a
 * local HTTP server (the issuer), and a signer for client-credentials access tokens of the shape
 * the portal issues (docs/hl7.md). The registry verifies them with its real verifier.
 */
export interface TokenIssuer {
  issuer: string;
  publicJwk: JWK;
  token(claims?: Record<string, unknown>, options?: { expiresIn?: number; typ?: string; audience?: string; issuer?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startTokenIssuer(now: () => number): Promise<TokenIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') return res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/jwks` }));
    if (req.url === '/jwks') return res.end(JSON.stringify({ keys: [publicJwk] }));
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    publicJwk,
    async token(claims = {}, options = {}) {
      const iat = Math.floor(now() / 1000);
      return new SignJWT({ scope: 'hl7:submit', client_id: 'ehr-west-clinic', iis_id: '2000000001', ...claims })
        .setProtectedHeader({ alg: 'RS256', typ: options.typ ?? 'at+jwt', kid: 'test-key' })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? audience)
        .setIssuedAt(iat)
        .setExpirationTime(iat + (options.expiresIn ?? 300))
        .sign(privateKey as CryptoKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Hl7System {
  db: Db;
  app: ReturnType<typeof createApp>;
  issuer: TokenIssuer;
  clock: { now(): number; advance(ms: number): void };
  post(body: Buffer | string, token: string | null, contentType?: string): Promise<request.Response>;
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Tables the intake may write: a rejected message must leave every one of them as it was. */
export const writtenTables = ['organizations', 'vaccines', 'clients', 'client_name_keys', 'client_addresses', 'responsible_persons', 'client_consents', 'immunizations', 'client_identifiers', 'immunization_identifiers', 'client_protection', 'hl7_messages', 'registry_audit'];

/** ImmTrac2 alone on a fresh database (no demo data), with the real token verifier against a local issuer. */
export async function startHl7System(app: Partial<RegistryOptions> = {}): Promise<Hl7System> {
  let offset = 0;
  const clock = { now: () => Date.now() + offset, advance: (ms: number) => void (offset += ms) };
  const issuer = await startTokenIssuer(clock.now);
  const database = await freshDatabase();
  const db = createDb(database.url);
  await migrateRpKit(db);
  await prepareRegistry(db, { demoData: false });
  const registry = createApp({ issuerUrl: issuer.issuer, clientId: 'registry', clientSecret: 'unused-in-these-tests', baseUrl: registryUrl, db, clock, log: () => {}, ...app });
  return {
    db, app: registry, issuer, clock,
    post(body, token, contentType = 'x-application/hl7-v2+er7') {
      const r = request(registry).post('/hl7/v2/vxu').set('content-type', contentType);
      if (token !== null) r.set('authorization', `Bearer ${token}`);
      return r.send(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
    },
    async counts() {
      const out: Record<string, number> = {};
      for (const table of writtenTables) out[table] = Number(((await db(table).count({ n: '*' }).first()) as { n: number | string }).n);
      return out;
    },
    async close() {
      await issuer.close();
      await db.destroy();
      await database.drop();
    },
  };
}

/** An ACK's segments and fields, read without our parser (split by hand, as any receiver can). */
export function readAck(text: string) {
  const segments = text.split('\r').filter(Boolean).map((s) => s.split('|'));
  const msh = segments.find((s) => s[0] === 'MSH');
  const msa = segments.find((s) => s[0] === 'MSA');
  const errs = segments.filter((s) => s[0] === 'ERR').map((s) => ({ location: s[2] ?? '', code: (s[3] ?? '').split('^')[0]!, severity: s[4] ?? '', message: s[8] ?? '' }));
  return { msh, msa1: msa?.[1], msa2: msa?.[2], errs };
}
