import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SignJWT, base64url } from 'jose';
import request from 'supertest';
import { normalizeNdc } from '../src/libraries/hl7-intake.js';
import { crOnly, readAck, sample, sampleNames, samplesDir, startHl7System, type Hl7System } from './hl7-harness.js';

/**
 * POST /hl7/v2/vxu against every published and derived sample of ../shared/testdata/iis/samples,
 * with what samples/SOURCES.md says a correct receiver answers and stores.
 */

interface Dose { cvx: string; given_on: string; lot?: string | null; mvx?: string | null; historical?: boolean }
interface Expectation {
  msa: 'AA' | 'AE' | 'AR' | 400;
  /** ERR rows with severity E that must be there: [ERR-2 location, ERR-3 code]. */
  errors?: [string, string][];
  /** The client stored (AA or partial AE) and the submitting organization's doses on it, by CVX. */
  client?: { last: string; first: string; dob: string };
  doses?: Dose[];
}

const snow = { last: 'Snow', first: 'Madelynn', dob: '2007-07-06' };
const flu140 = { cvx: '140', given_on: '2012-08-14', lot: 'Z0860BB', mvx: 'CSL', historical: false };

const expected: Record<string, Expectation> = {
  'nist-iz-001-admin-child.hl7': { msa: 'AA', client: snow, doses: [flu140] },
  'nist-iz-004-admin-adult.hl7': { msa: 'AA', client: { last: 'Vally', first: 'Nitika', dob: '1941-08-13' }, doses: [{ cvx: '52', given_on: '2012-08-14', lot: 'I90FV', mvx: 'MSD' }] },
  'nist-iz-007-historical-child.hl7': { msa: 'AA', client: { last: 'Montgomery', first: 'Lewis', dob: '2001-08-21' }, doses: [{ cvx: '62', given_on: '2011-02-15', historical: true }] },
  'nist-iz-010-consented-child.hl7': { msa: 'AA', client: { last: 'Newton', first: 'Lea', dob: '2001-09-05' }, doses: [{ cvx: '115', given_on: '2011-02-14', historical: true }] },
  'nist-iz-013-refused-toddler.hl7': { msa: 'AA', client: { last: 'Fleming', first: 'Chad', dob: '2010-08-30' }, doses: [] },
  'nist-iz-016-varicella-history-child.hl7': { msa: 'AA', client: { last: 'Wolfe', first: 'Aron', dob: '2001-09-07' }, doses: [] },
  'nist-iz-019-complete-record.hl7': { msa: 'AA', client: { last: 'Mercer', first: 'Jirra', dob: '2010-09-07' }, doses: [{ cvx: '10', given_on: '2011-02-16', historical: true }, { cvx: '120', given_on: '2012-08-16', lot: '568AHK11' }, { cvx: '141', given_on: '2012-08-16', lot: 'K5094SC' }] },
  'nist-iz-020-elixir-hl7.hl7': { msa: 'AA', client: { last: 'Curry', first: 'Qiang', dob: '2009-08-19' }, doses: [{ cvx: '110', given_on: '2012-08-14' }, { cvx: '133', given_on: '2011-02-14', historical: true }, { cvx: '140', given_on: '2012-08-14', lot: 'W1356FE' }] },
  'onc2015-iz-ad-1-admin-child.hl7': {
    msa: 'AA', client: { last: 'Richardson', first: 'Russell', dob: '2015-04-15' },
    doses: [{ cvx: '116', given_on: '2015-06-24', lot: '297961' }, { cvx: '120', given_on: '2015-06-24', lot: '526434' }, { cvx: '133', given_on: '2015-06-24', lot: '353480' }, { cvx: '45', given_on: '2015-04-16', historical: true }, { cvx: '45', given_on: '2015-05-15', historical: true }],
  },
  'onc2015-iz-ad-2-admin-adult.hl7': { msa: 'AA', client: { last: 'Wong', first: 'Elise', dob: '1983-06-15' }, doses: [{ cvx: '113', given_on: '2015-06-24', lot: '315841' }, { cvx: '88', given_on: '2013-11-12', historical: true }, { cvx: '88', given_on: '2014-10-12', historical: true }] },
  'onc2015-iz-ad-3-child-no-consent.hl7': { msa: 'AA', client: { last: 'Benton', first: 'Katherine', dob: '2003-12-21' }, doses: [{ cvx: '118', given_on: '2015-06-24', lot: '795441' }] },
  // Alone (without IZ-AD 3 first) the deletion finds no dose of this organization: 204, nothing stored.
  'onc2015-iz-ad-4-child-deleted.hl7': { msa: 'AE', errors: [['RXA^1^21', '204']] },
  'onc2015-iz-ad-5-child-refusal.hl7': { msa: 'AA', client: { last: 'Banks', first: 'Tyler', dob: '2014-06-02' }, doses: [{ cvx: '03', given_on: '2015-06-24', lot: '134301' }, { cvx: '48', given_on: '2015-06-24', lot: '328734' }, { cvx: '83', given_on: '2015-06-24', lot: '208940' }] },
  // Alone, the update finds no dose either (the sequence is tested below).
  'onc2015-iz-ad-6-child-update.hl7': { msa: 'AE', errors: [['RXA^1^21', '204']] },
  'cdc-ig-r15-example-vxu-1.hl7': { msa: 'AA', client: { last: 'Patient', first: 'Johnny', dob: '2011-04-11' }, doses: [{ cvx: '110', given_on: '2012-01-13', lot: 'xy3939', mvx: 'SKB' }, { cvx: '48', given_on: '2012-01-13', lot: '32k2a', mvx: 'PMC' }, { cvx: '85', given_on: '2011-04-15', historical: true }] },
  'aira-r7-pid10-race-missing.hl7': { msa: 'AA', client: snow, doses: [flu140] },
  'aira-r2-unknown-bad-segment.hl7': { msa: 'AA', client: snow, doses: [flu140] },
  'aira-r1-missing-pid.hl7': { msa: 'AE', errors: [['PID', '100']] },
  'aira-r6-pid5-missing.hl7': { msa: 'AE', errors: [['PID^1^5', '101']] },
  'aira-r8-empty-pid.hl7': { msa: 'AE', errors: [['PID^1^3', '101'], ['PID^1^5', '101'], ['PID^1^7', '101']] },
  'aira-r9-rxa-without-orc.hl7': { msa: 'AE', errors: [['ORC', '100']] },
  'derived-missing-msh9.hl7': { msa: 'AR', errors: [['MSH^1^9', '101']] },
  'derived-wrong-message-type.hl7': { msa: 'AR', errors: [['MSH^1^9', '200']] },
  'derived-unsupported-version.hl7': { msa: 'AR', errors: [['MSH^1^12', '203']] },
  'derived-bad-rxa3-date.hl7': { msa: 'AE', errors: [['RXA^1^3', '102']] },
  'derived-unknown-cvx.hl7': { msa: 'AE', errors: [['RXA^1^5', '103']] },
  'derived-missing-pid5.hl7': { msa: 'AE', errors: [['PID^1^5', '101']] },
  'derived-future-birth-date.hl7': { msa: 'AE', errors: [['PID^1^7', '101']] },
  'derived-missing-msh.hl7': { msa: 400 },
};

let s: Hl7System;
let nextOrg = 2100000000;
/** A token for an organization of its own, so each run's doses are told apart by organization_id. */
const freshSubmitter = async () => {
  const iisId = String(++nextOrg);
  return { iisId, token: await s.issuer.token({ iis_id: iisId, client_id: `ehr-${iisId}` }) };
};
const mshOf = (bytes: Buffer) => bytes.toString('utf8').split(/\r\n|\r|\n/)[0]!.split('|');

beforeAll(async () => {
  s = await startHl7System();
});
afterAll(async () => {
  await s.close();
});

test('the samples are read in place from ../shared/testdata/iis/samples, outside the project', () => {
  const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
  // Wherever the checkout lives (CI clones it elsewhere), the samples sit beside it, never copied in.
  expect(samplesDir).toBe(fileURLToPath(new URL('../shared/testdata/iis/samples/', pathToFileURL(repoRoot))));
  expect(samplesDir.startsWith(repoRoot)).toBe(false);
  expect(existsSync(`${samplesDir}SOURCES.md`)).toBe(true);
  expect(sampleNames.sort()).toEqual(Object.keys(expected).sort());
});

test('NDCs in 11-digit and 10-digit dashed forms read as 5-4-2', () => {
  expect(['49281056005', '49281-0560-05', '49281-560-05', '0006-4047-20', '00006-4047-2'].map(normalizeNdc)).toEqual(['49281-0560-05', '49281-0560-05', '49281-0560-05', '00006-4047-20', '00006-4047-02']);
  expect(['4928105600', '49281-0560', 'abc-de-fg', '123456-1-1'].map(normalizeNdc)).toEqual([null, null, null, null]);
});

async function dosesOf(iisId: string, client: { last: string; first: string; dob: string }) {
  const row = await s.db('clients').where({ last_name: client.last, first_name: client.first, birth_date: client.dob }).first('id');
  if (!row) return undefined;
  return (await s.db('immunizations').where({ client_id: (row as { id: number }).id, organization_id: iisId }).orderBy([{ column: 'cvx' }, { column: 'given_on' }]).select('cvx', 'given_on', 'lot', 'mvx', 'historical')).map((d: Dose) => ({ ...d, historical: Boolean(d.historical) }));
}

describe.each(Object.entries(expected))('%s', (name, want) => {
  test.each([['as published', (b: Buffer) => b], ['with CR only', crOnly]])('%s: answers and stores what SOURCES.md says', async (_variant, transform) => {
    const bytes = transform(sample(name));
    const { iisId, token } = await freshSubmitter();
    const before = await s.counts();
    const response = await s.post(bytes, token);
    if (want.msa === 400) {
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/MSH/);
      expect(await s.counts()).toEqual(before);
      return;
    }
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^x-application\/hl7-v2\+er7/);
    const ack = readAck(response.text);
    expect(ack.msh?.[8]).toBe('ACK^V04^ACK');
    expect(ack.msh?.[11]).toBe('2.5.1');
    expect(ack.msa2).toBe(mshOf(bytes)[9]);
    expect({ msa: ack.msa1, errors: ack.errs.filter((e) => e.severity === 'E').map((e) => [e.location, e.code]) }).toEqual(
      expect.objectContaining({ msa: want.msa, errors: expect.arrayContaining(want.errors ?? []) }),
    );
    if (want.msa === 'AA') expect(ack.errs.filter((e) => e.severity === 'E')).toEqual([]);
    if (!want.client) {
      // Rejected: nothing changed anywhere.
      expect(await s.counts()).toEqual(before);
      return;
    }
    const doses = await dosesOf(iisId, want.client);
    expect(doses).toBeDefined();
    expect(doses).toHaveLength(want.doses!.length);
    want.doses!.forEach((d, i) => expect(doses![i]).toMatchObject(d));
  });
});

describe('sequences and re-sends', () => {
  test('IZ-AD 3 then IZ-AD 4: the dose ends up deleted', async () => {
    const { iisId, token } = await freshSubmitter();
    const client = { last: 'Benton', first: 'Katherine', dob: '2003-12-21' };
    expect(readAck((await s.post(sample('onc2015-iz-ad-3-child-no-consent.hl7'), token)).text).msa1).toBe('AA');
    expect(await dosesOf(iisId, client)).toHaveLength(1);
    const deleted = readAck((await s.post(sample('onc2015-iz-ad-4-child-deleted.hl7'), token)).text);
    expect(deleted.msa1).toBe('AA');
    expect(await dosesOf(iisId, client)).toEqual([]);
    // PD1-12 = Y: the protection is on file.
    const row = (await s.db('clients').where({ last_name: 'Benton', first_name: 'Katherine' }).first('id')) as { id: number };
    expect(await s.db('client_protection').where({ client_id: row.id }).first('indicator')).toEqual({ indicator: 'Y' });
  });

  test('IZ-AD 5 then IZ-AD 6 (same MSH-10, other content): the VAQTA lot reads 208490', async () => {
    const { iisId, token } = await freshSubmitter();
    const client = { last: 'Banks', first: 'Tyler', dob: '2014-06-02' };
    expect(readAck((await s.post(sample('onc2015-iz-ad-5-child-refusal.hl7'), token)).text).msa1).toBe('AA');
    const update = readAck((await s.post(sample('onc2015-iz-ad-6-child-update.hl7'), token)).text);
    expect(update.msa1).toBe('AA');
    expect(update.errs).toEqual([expect.objectContaining({ location: 'MSH^1^10', severity: 'W' })]);
    const doses = await dosesOf(iisId, client);
    expect(doses).toHaveLength(3);
    expect(doses!.find((d) => d.cvx === '83')).toMatchObject({ lot: '208490' });
  });

  test('the same message twice (LF, then CR-only) stores once and answers the same ACK', async () => {
    const { iisId, token } = await freshSubmitter();
    const first = await s.post(sample('nist-iz-019-complete-record.hl7'), token);
    const counts = await s.counts();
    const second = await s.post(crOnly(sample('nist-iz-019-complete-record.hl7')), token);
    expect(second.text).toBe(first.text);
    expect(await s.counts()).toEqual(counts);
    expect(await s.db('immunizations').where({ organization_id: iisId }).count({ n: '*' }).first()).toEqual({ n: 3 });
  });

  test('new clients in messages arriving at once each get their own registry id (PostgreSQL runs them side by side)', async () => {
    const { iisId, token } = await freshSubmitter();
    const base = sample('nist-iz-001-admin-child.hl7').toString('utf8');
    const messages = Array.from({ length: 12 }, (_, i) =>
      base.replace('NIST-IZ-001.00', `CONCURRENT-${i}`).replace('D26376273', `C${i}X`).replace('Snow^Madelynn', `Snow${'abcdefghijkl'[i]}^Madelynn`),
    );
    const answers = await Promise.all(messages.map((m) => s.post(m, token)));
    expect(answers.map((a) => [a.status, readAck(a.text).msa1])).toEqual(messages.map(() => [200, 'AA']));
    const stored = await s.db('clients').join('client_identifiers as i', 'i.client_id', 'clients.id').where('i.organization_id', iisId).select('clients.registry_id');
    expect(new Set(stored.map((r) => r.registry_id)).size).toBe(12);
  });

  test('another organization cannot update or delete a dose it did not record: AE 204, nothing written', async () => {
    const owner = await freshSubmitter();
    const other = await freshSubmitter();
    await s.post(sample('onc2015-iz-ad-5-child-refusal.hl7'), owner.token);
    const before = await s.counts();
    for (const name of ['onc2015-iz-ad-6-child-update.hl7', 'onc2015-iz-ad-4-child-deleted.hl7']) {
      const ack = readAck((await s.post(sample(name), other.token)).text);
      expect(ack.msa1).toBe('AE');
      expect(ack.errs).toContainEqual(expect.objectContaining({ location: 'RXA^1^21', code: '204', severity: 'E' }));
    }
    expect(await s.counts()).toEqual(before);
    expect((await dosesOf(owner.iisId, { last: 'Banks', first: 'Tyler', dob: '2014-06-02' }))!.find((d) => d.cvx === '83')).toMatchObject({ lot: '208940' });
  });

  test('the organization comes from the token, not MSH-4 or RXA-11', async () => {
    const { iisId, token } = await freshSubmitter();
    await s.post(sample('nist-iz-004-admin-adult.hl7'), token);
    const dose = await s.db('immunizations').where({ organization_id: iisId }).first('organization_id');
    expect(dose).toEqual({ organization_id: iisId });
    expect(await s.db('immunizations').whereIn('organization_id', ['X68', 'F28']).first()).toBeUndefined();
  });
});

describe('authentication', () => {
  const body = () => sample('nist-iz-001-admin-child.hl7');
  const header = (r: { headers: Record<string, string> }) => r.headers['www-authenticate'];

  test('a missing, expired, wrongly addressed or forged token is refused with 401 invalid_token; nothing written', async () => {
    const before = await s.counts();
    const expired = await s.issuer.token({}, { expiresIn: -60 });
    const wrongAudience = await s.issuer.token({}, { audience: 'http://registry.test/api' });
    const wrongIssuer = await s.issuer.token({}, { issuer: 'http://evil.test' });
    const wrongTyp = await s.issuer.token({}, { typ: 'JWT' });
    const payload = { iss: s.issuer.issuer, aud: 'http://registry.test/hl7/v2', scope: 'hl7:submit', client_id: 'x', iis_id: '2000000001', exp: Math.floor(Date.now() / 1000) + 300 };
    const algNone = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }))}.${base64url.encode(JSON.stringify(payload))}.`;
    // HS256 "signed" with the portal's public key as the shared secret: the algorithm-confusion attack.
    const hs256 = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: 'test-key' }).sign(new TextEncoder().encode(JSON.stringify(s.issuer.publicJwk)));
    for (const token of [null, 'not-a-jwt', expired, wrongAudience, wrongIssuer, wrongTyp, algNone, hs256]) {
      const response = await s.post(body(), token);
      expect(response.status).toBe(401);
      expect(header(response)).toMatch(/^Bearer .*error="invalid_token"/);
      expect(response.text).not.toMatch(/at .*\.ts:\d+/);
    }
    expect(await s.counts()).toEqual(before);
  });

  test('a token without hl7:submit or without an organization is refused with 403 insufficient_scope', async () => {
    const before = await s.counts();
    for (const claims of [{ scope: 'openid profile' }, { iis_id: undefined }, { iis_id: '12345' }]) {
      const response = await s.post(body(), await s.issuer.token(claims));
      expect(response.status).toBe(403);
      expect(header(response)).toMatch(/error="insufficient_scope"/);
    }
    expect(await s.counts()).toEqual(before);
  });

  test('a token moments from expiry works by the injected clock; moving the clock past it refuses', async () => {
    const token = await s.issuer.token({ iis_id: '2000000999' }, { expiresIn: 60 });
    expect((await s.post(sample('nist-iz-007-historical-child.hl7'), token)).status).toBe(200);
    s.clock.advance(10 * 60_000);
    try {
      expect((await s.post(sample('nist-iz-007-historical-child.hl7'), token)).status).toBe(401);
    } finally {
      s.clock.advance(-10 * 60_000);
    }
  });
});

describe('transport limits', () => {
  test('other media types → 415; bodies over 1 MB → 413; GET → 405; text/plain accepted without a session or CSRF field', async () => {
    const { token } = await freshSubmitter();
    expect((await s.post(sample('nist-iz-001-admin-child.hl7'), token, 'application/json')).status).toBe(415);
    const big = await s.post(Buffer.alloc(1024 * 1024 + 10, 'A'), token);
    expect(big.status).toBe(413);
    expect(big.text).toMatch(/larger than/);
    const ok = await s.post(sample('nist-iz-001-admin-child.hl7'), token, 'text/plain');
    expect(ok.status).toBe(200);
    expect(readAck(ok.text).msa1).toBe('AA');
    const get = await request(s.app).get('/hl7/v2/vxu').set('authorization', `Bearer ${token}`);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });

  test('more than 2,000 segments → AR', async () => {
    const { token } = await freshSubmitter();
    const text = sample('nist-iz-001-admin-child.hl7').toString('utf8').trimEnd() + '\rNTE|1||x'.repeat(2_001);
    const before = await s.counts();
    const ack = readAck((await s.post(text, token)).text);
    expect(ack.msa1).toBe('AR');
    expect(await s.counts()).toEqual(before);
  });

  test('a client over 600 messages a minute gets 429 with Retry-After', async () => {
    const system = await startHl7System({ hl7: { messagesPerMinute: 3 } });
    try {
      const token = await system.issuer.token({ client_id: 'busy-ehr' });
      for (let i = 0; i < 3; i++) expect((await system.post('MSH|', token)).status).toBe(400);
      const limited = await system.post('MSH|', token);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      system.clock.advance(61_000);
      expect((await system.post('MSH|', token)).status).toBe(400);
    } finally {
      await system.close();
    }
  });
});
