import * as oidc from 'openid-client';
import { aal2 } from '../src/libraries/assurance.js';
import { HttpAgent, parseForm, startTestPortal, textOf, type AgentResponse, type TestPortal } from '../src/testing/index.js';
import { createSoftAuthenticator, type SoftAuthenticator } from '../src/testing/soft-authenticator.js';

/**
 * Passkeys on the server side (issue #10), with a software authenticator that builds the bytes a
 * browser posts (the browser suite does the same in Chromium's virtual authenticator): registration
 * from My Profile, a sign-in without a password and as the second factor, as an openid-client
 * relying party sees them; and what must be refused — a malformed answer (400, never a 500), a
 * replayed or foreign challenge, another site's origin, no user verification, a counter going
 * back, someone else's passkey, a removed one, a locked account.
 */
const password = 'Correct-Horse-9!';
const appUrl = 'http://127.0.0.1:3997';

let t: TestPortal;
let app: oidc.Configuration;
let origin: string;

beforeAll(async () => {
  t = await startTestPortal({ hostname: 'localhost', env: { MFA_REQUIRED_FOR_STAFF: 'true' } });
  origin = new URL(t.url).origin;
  await t.directory.createOrg({ code: 'PEDS01', iisId: '0000012345', name: 'Hill Country Pediatrics' });
  for (const username of ['pat', 'rae', 'sol', 'tam', 'uma', 'vic', 'wes']) {
    await t.directory.createUser({ username, email: `${username}@example.org`, name: username.toUpperCase(), password, orgs: ['PEDS01:full_access_provider'] });
  }
  await t.directory.createUser({ username: 'desk', email: 'desk@example.org', password, role: 'helpdesk' });
  const c = await t.directory.createClient({ name: 'ImmTrac2', redirectUris: [`${appUrl}/callback`] });
  app = await oidc.discovery(new URL(t.url), c.client_id, c.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
});
afterAll(() => t?.close());

/** The passkey form on a page (static/passkeys.js's view of it): its action, fields and options URL. */
function passkeyForm(page: AgentResponse) {
  const form = /<form[^>]*data-passkey="[^"]+"[^>]*>[\s\S]*?<\/form>/.exec(page.body)?.[0];
  if (!form) throw new Error(`no passkey form on page: ${textOf(page.body).slice(0, 300)}`);
  const optionsUrl = new URL(/data-options-url="([^"]+)"/.exec(form)![1]!, page.url).href;
  return { ...parseForm(`<main>${form}</main>`, page.url), optionsUrl };
}

/** What the script does: asks for the options with the form's token (and flow), returns them. */
async function askOptions(agent: HttpAgent, page: AgentResponse) {
  const form = passkeyForm(page);
  const res = await agent.request(form.optionsUrl, { json: { csrf: form.fields.csrf, ...(form.fields.flow ? { flow: form.fields.flow } : {}) } });
  expect(res.status).toBe(200);
  const answer = JSON.parse(res.body) as { challenge: string; options: never };
  return { form, ...answer };
}

/** Posts the ceremony's result in the form, as the script does. */
function postCeremony(agent: HttpAgent, form: ReturnType<typeof passkeyForm>, challenge: string, result: unknown, extra: Record<string, string> = {}) {
  return agent.follow(form.action, { form: { ...form.fields, challenge, webauthn: typeof result === 'string' ? result : JSON.stringify(result), ...extra } });
}

async function addPasskey(agent: HttpAgent, authenticator: SoftAuthenticator, name: string) {
  const status = await agent.follow(`${t.url}/profile/two-step`);
  const { form, challenge, options } = await askOptions(agent, status.response);
  return postCeremony(agent, form, challenge, authenticator.register(options), { name });
}

async function authorize(agent: HttpAgent, extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(app, { redirect_uri: `${appUrl}/callback`, scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra });
  return { verifier, start: (await agent.follow(url.href)).response };
}

async function claimsFrom(leftPortalTo: string | undefined, verifier: string) {
  expect(leftPortalTo).toMatch(/code=/);
  return (await oidc.authorizationCodeGrant(app, new URL(leftPortalTo!), { pkceCodeVerifier: verifier })).claims()!;
}

/** Signs in to the portal's own pages (/login) with a passkey the authenticator holds. */
async function signInToPortalWithPasskey(authenticator: SoftAuthenticator): Promise<HttpAgent> {
  const agent = new HttpAgent(t.url);
  const login = await agent.follow(`${t.url}/login`);
  const { form, challenge, options } = await askOptions(agent, login.response);
  await agent.completeSteps(await postCeremony(agent, form, challenge, authenticator.authenticate(options)));
  return agent;
}

/**
 * A person with a passkey, added from My Profile: signed in with the password (a first sign-in's
 * AUA and questions), or with a passkey `authenticator` already holds for them.
 */
async function withPasskey(username: string, name = 'Work laptop', authenticator = createSoftAuthenticator({ origin })) {
  const agent = authenticator.credentials.length ? await signInToPortalWithPasskey(authenticator) : await new HttpAgent(t.url).signInToPortal(username, password);
  const added = await addPasskey(agent, authenticator, name);
  expect(textOf(added.response.body)).toContain(`Passkey "${name}" added.`);
  return { authenticator, agent, user: (await t.portal.services.users.findByUsername(username))! };
}

/** The sign-in page of a fresh browser, the passwordless ceremony answered by `answer`. */
async function passkeySignIn(answer: (options: never) => unknown) {
  const agent = new HttpAgent(t.url);
  const { verifier, start } = await authorize(agent);
  const { form, challenge, options } = await askOptions(agent, start);
  const done = await agent.completeSteps(await postCeremony(agent, form, challenge, answer(options)));
  return { agent, verifier, done, form, challenge };
}

/** Sol's authenticator from an earlier test, kept for a later one. */
const authenticators = new Map<string, SoftAuthenticator>();
const keyOf = async (username: string) => authenticators.get(username)!;

const auditRows = async (action: string, subject: string) => (await t.db('audit_events').where({ action, subject_user_id: subject }).orderBy('seq')).map((r: { details: string | null }) => JSON.parse(r.details ?? '{}') as Record<string, unknown>);

test('added from My Profile, a passkey signs in with no password; the app sees amr hwk+user and AAL2; audited and told by email, never the key', async () => {
  const { authenticator, user } = await withPasskey('pat');
  const stored = await t.db('passkeys').where({ user_id: user.id });
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ name: 'Work laptop', credential_id: authenticator.credentials[0]!.id, transports: 'internal' });

  const { verifier, done } = await passkeySignIn((options) => authenticator.authenticate(options));
  expect(await claimsFrom(done.leftPortalTo, verifier)).toMatchObject({ sub: user.id, amr: ['hwk', 'user'], acr: aal2 });

  const [added] = await auditRows('mfa.passkey_added', user.id);
  expect(added).toMatchObject({ name: 'Work laptop', passkeyId: stored[0].id });
  expect((await auditRows('signin.success', user.id)).at(-1)).toMatchObject({ factor: 'passkey', passwordless: true });
  const everything = JSON.stringify(await t.db('audit_events').where({ subject_user_id: user.id }));
  expect(everything).not.toContain(stored[0].public_key);
  expect(everything).not.toContain(stored[0].credential_id);
  const mail = await t.mail.waitFor((m) => m.to.includes('pat@example.org') && m.text.includes('A passkey named "Work laptop" was added'));
  expect(mail.subject).toContain('Two-step verification');
  // The status page lists it by name; the counter moved with the sign-in.
  expect(Number((await t.db('passkeys').where({ user_id: user.id }).first()).counter)).toBe(1);
});

test('after the password, a passkey is the second factor (amr pwd+hwk, AAL2); another person\'s passkey is refused there and not counted in the 3 + 3', async () => {
  const rae = await withPasskey('rae');
  const sol = await withPasskey('sol');
  authenticators.set('sol', sol.authenticator);

  // Rae's password, then Sol's passkey (the options named Rae's passkeys only; an attacker ignores that).
  const agent = new HttpAgent(t.url);
  const { verifier, start } = await authorize(agent);
  const step = (await agent.submitSignIn(start, 'rae', password)).response;
  expect(textOf(step.body)).toContain('Two-Step Verification');
  let ask = await askOptions(agent, step);
  expect((ask.options as { allowCredentials: { id: string }[] }).allowCredentials.map((c) => c.id)).toEqual([rae.authenticator.credentials[0]!.id]);
  const foreign = await postCeremony(agent, ask.form, ask.challenge, sol.authenticator.authenticate({ ...(ask.options as object), allowCredentials: [] } as never));
  expect(foreign.leftPortalTo).toBeUndefined();
  expect(foreign.response.status).toBe(401);
  expect(textOf(foreign.response.body)).toContain('That passkey was not accepted');
  expect((await auditRows('signin.failure', rae.user.id)).at(-1)).toMatchObject({ reason: 'passkey_other_user', step: 'second_factor' });
  // Not a guess: the failure count is where the right password left it.
  expect((await t.db('sign_in_counters').where({ username_key: 'rae' }).first())?.failures ?? 0).toBe(0);

  // Rae's own passkey, on the page the refusal showed.
  ask = await askOptions(agent, foreign.response);
  const done = await agent.completeSteps(await postCeremony(agent, ask.form, ask.challenge, rae.authenticator.authenticate(ask.options)));
  expect(await claimsFrom(done.leftPortalTo, verifier)).toMatchObject({ amr: ['pwd', 'hwk'], acr: aal2 });
});

test('a malformed answer is a 400 with the sign-in page, never a 500: not JSON, the wrong shape, garbage bytes, a bad signature', async () => {
  const { authenticator } = await withPasskey('tam');
  const good = () => passkeySignIn((options) => authenticator.authenticate(options));
  const cases: [string, (options: never) => unknown, number][] = [
    ['not JSON', () => '{"id":', 400],
    ['the wrong shape', () => ({ id: 'x', type: 'public-key' }), 400],
    ['not base64url', (o) => ({ ...(authenticator.authenticate(o) as object), id: 'not base64!' }), 400],
    ['garbage authenticator data', (o) => { const r = authenticator.authenticate(o); return { ...r, response: { ...r.response, authenticatorData: 'AAAA' } }; }, 401],
    ['garbage client data', (o) => { const r = authenticator.authenticate(o); return { ...r, response: { ...r.response, clientDataJSON: 'bm90IGpzb24' } }; }, 401],
    ['a bad signature', (o) => { const r = authenticator.authenticate(o); return { ...r, response: { ...r.response, signature: Buffer.alloc(70, 1).toString('base64url') } }; }, 401],
    ['an unknown credential', (o) => ({ ...(authenticator.authenticate(o) as object), id: 'AAAAAAAAAAAAAAAAAAAAAA', rawId: 'AAAAAAAAAAAAAAAAAAAAAA' }), 401],
  ];
  for (const [what, answer, status] of cases) {
    const { done } = await passkeySignIn(answer);
    expect({ what, status: done.response.status }).toEqual({ what, status });
    expect(done.leftPortalTo).toBeUndefined();
    expect(textOf(done.response.body)).toContain('That passkey was not accepted');
    expect(done.response.body).toContain('name="password"'); // the sign-in page, to try again
  }
  // An overlong field is refused before anything is read.
  const agent = new HttpAgent(t.url);
  const { start } = await authorize(agent);
  const { form, challenge } = await askOptions(agent, start);
  expect((await postCeremony(agent, form, challenge, 'x'.repeat(12_001))).response.status).toBe(400);
  // After all of that the passkey still works (its counter was not moved by refusals).
  expect((await good()).done.leftPortalTo).toMatch(/code=/);
});

test('a challenge works once, for its own sign-in: a replayed answer, a reused challenge, another interaction\'s challenge are refused', async () => {
  const { authenticator } = await withPasskey('uma');
  const first = await passkeySignIn((options) => authenticator.authenticate(options));
  expect(first.done.leftPortalTo).toMatch(/code=/);

  // The same challenge again, from a new sign-in in the same browser (the record is gone).
  const { start } = await authorize(first.agent, { prompt: 'login' });
  const ask = await askOptions(first.agent, start);
  const replay = await postCeremony(first.agent, passkeyForm(start), first.challenge, authenticator.authenticate({ ...(ask.options as object), challenge: 'x' } as never));
  expect(replay.response.status).toBe(400);
  expect(textOf(replay.response.body)).toContain('The passkey request expired or was already used');

  // This interaction's challenge, answered twice: the second post is refused.
  const answer = authenticator.authenticate(ask.options);
  const [a, b] = await Promise.all([postCeremony(first.agent, ask.form, ask.challenge, answer), postCeremony(first.agent, ask.form, ask.challenge, answer)]);
  expect([a.leftPortalTo !== undefined, b.leftPortalTo !== undefined].sort()).toEqual([false, true]);

  // A challenge made for one browser's sign-in, posted on another's.
  const other = new HttpAgent(t.url);
  const otherStart = (await authorize(other)).start;
  const mine = await askOptions(other, otherStart);
  const stranger = new HttpAgent(t.url);
  const strangerStart = (await authorize(stranger)).start;
  const stolen = await postCeremony(stranger, passkeyForm(strangerStart), mine.challenge, authenticator.authenticate(mine.options));
  expect(stolen.response.status).toBe(400);
  expect(stolen.leftPortalTo).toBeUndefined();
});

test('refused: another site\'s origin (phishing), no user verification, a counter that went back, no user handle', async () => {
  const { authenticator, user } = await withPasskey('vic');
  const tries: [string, Parameters<SoftAuthenticator['authenticate']>[1]][] = [
    ['phishing', { origin: 'https://portal.example.net' }],
    ['no UV', { userVerified: false }],
    ['no user handle', { omitUserHandle: true }],
  ];
  for (const [what, overrides] of tries) {
    const { done } = await passkeySignIn((options) => authenticator.authenticate(options, overrides));
    expect({ what, status: done.response.status, left: done.leftPortalTo }).toEqual({ what, status: 401, left: undefined });
  }
  expect((await passkeySignIn((options) => authenticator.authenticate(options))).done.leftPortalTo).toMatch(/code=/);
  // A copy of the authenticator that has counted less than the original: a clone.
  const clone = await passkeySignIn((options) => authenticator.authenticate(options, { counter: 1 }));
  expect(clone.done.response.status).toBe(401);
  expect((await auditRows('signin.failure', user.id)).map((d) => d.reason)).toEqual(expect.arrayContaining(['passkey_invalid', 'passkey_user_handle', 'passkey_counter']));

  // Registration is held to the same: no UV, or another origin, adds nothing.
  const agent = await signInToPortalWithPasskey(authenticator);
  for (const overrides of [{ userVerified: false }, { origin: 'https://portal.example.net' }]) {
    const status = await agent.follow(`${t.url}/profile/two-step`);
    const { form, challenge, options } = await askOptions(agent, status.response);
    const refused = await postCeremony(agent, form, challenge, authenticator.register(options, overrides), { name: 'Bad' });
    expect(refused.response.status).toBe(400);
    expect(textOf(refused.response.body)).toContain('No passkey was added');
  }
  expect(await t.db('passkeys').where({ user_id: user.id })).toHaveLength(1);
});

test('a removed passkey no longer works; removing needs the password; a name is required; a challenge of another session does not add one', async () => {
  const { authenticator, agent, user } = await withPasskey('wes');
  const status = await agent.follow(`${t.url}/profile/two-step`);
  const removeForm = parseForm(`<main>${status.response.body.slice(status.response.body.indexOf('<h3>Remove a passkey'))}`, status.response.url);
  const passkeyId = (await t.db('passkeys').where({ user_id: user.id }).first()).id as string;

  const wrong = await agent.follow(removeForm.action, { form: { ...removeForm.fields, passkey: passkeyId, current_password: 'wrong' } });
  expect(wrong.response.status).toBe(400);
  expect(textOf(wrong.response.body)).toContain('The passkey was not removed: your password is not correct.');
  const removed = await agent.follow(removeForm.action, { form: { ...removeForm.fields, passkey: passkeyId, current_password: password } });
  expect(textOf(removed.response.body)).toContain('Passkey "Work laptop" removed.');
  expect(textOf(removed.response.body)).toContain('Two-step verification is off');
  expect(await auditRows('mfa.passkey_removed', user.id)).toEqual([expect.objectContaining({ passkeyId, name: 'Work laptop', by: 'self' })]);
  await t.mail.waitFor((m) => m.to.includes('wes@example.org') && m.text.includes('The passkey named "Work laptop" was removed'));

  // The authenticator still holds it and answers: nobody is signed in.
  const { done } = await passkeySignIn((options) => authenticator.authenticate(options));
  expect(done.response.status).toBe(401);
  expect(done.leftPortalTo).toBeUndefined();
  const unknown = await t.db('audit_events').where({ action: 'signin.failure' }).whereNull('subject_user_id').orderBy('seq', 'desc').first();
  expect(JSON.parse(unknown.details)).toMatchObject({ reason: 'passkey_unknown_credential', step: 'passkey' });

  // No name: nothing added. A challenge made for another session (of the same person): refused.
  const page = await agent.follow(`${t.url}/profile/two-step`);
  const ask = await askOptions(agent, page.response);
  const unnamed = await postCeremony(agent, ask.form, ask.challenge, authenticator.register(ask.options), { name: '  ' });
  expect(unnamed.response.status).toBe(400);
  expect(textOf(unnamed.response.body)).toContain('Give the passkey a name');
  const otherSession = await new HttpAgent(t.url).signInToPortal('wes', password); // no passkey left: the password alone
  const otherPage = await otherSession.follow(`${t.url}/profile/two-step`);
  const crossed = await postCeremony(otherSession, passkeyForm(otherPage.response), ask.challenge, authenticator.register(ask.options), { name: 'Crossed' });
  expect(crossed.response.status).toBe(400);
  expect(textOf(crossed.response.body)).toContain('The passkey request expired or was already used');
  expect(await t.db('passkeys').where({ user_id: user.id })).toHaveLength(0);
});

test('the JSON endpoints need the page\'s CSRF token and a JSON body; bad input is a 4xx in JSON', async () => {
  const agent = new HttpAgent(t.url);
  const { start } = await authorize(agent);
  const form = passkeyForm(start);
  const noToken = await agent.request(form.optionsUrl, { json: {} });
  expect(noToken.status).toBe(403);
  expect(JSON.parse(noToken.body)).toMatchObject({ error: 'request.csrf' });
  expect((await agent.request(form.optionsUrl, { json: [1, 2] })).status).toBe(400);
  const asForm = await agent.request(form.optionsUrl, { form: { csrf: form.fields.csrf! }, headers: { accept: 'application/json' } });
  expect(asForm.status).toBe(403); // a cross-site form cannot send JSON: the token is not even read
  const broken = await agent.request(form.optionsUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' } });
  expect([400, 403]).toContain(broken.status);
  const signedOut = await agent.request(`${t.url}/profile/two-step/passkeys/options`, { json: { csrf: 'x' } });
  expect(signedOut.status).toBe(303);
});

test('a passkey does not get round a lock; staff cannot remove their last factor; the help desk removes passkeys with everything else', async () => {
  const { authenticator, user } = await withPasskey('sol', 'Second key', await keyOf('sol'));
  await t.db('sign_in_counters').insert({ username_key: 'sol', failures: 6, locked_at: Date.now(), updated_at: Date.now() }).onConflict('username_key').merge();
  const locked = await passkeySignIn((options) => authenticator.authenticate(options, { credential: authenticator.credentials.at(-1)! }));
  expect(locked.done.leftPortalTo).toBeUndefined();
  expect(locked.done.response.url).toMatch(/\/forgot-password$/);
  await t.db('sign_in_counters').where({ username_key: 'sol' }).delete();

  // A help-desk account whose only factor is a passkey: signs in with it, cannot remove it.
  const desk = (await t.portal.services.users.findByUsername('desk'))!;
  const deskKey = createSoftAuthenticator({ origin });
  const { passkeys } = t.portal.services.factors;
  const options = await passkeys.registrationOptions(desk);
  const made = await passkeys.verifyRegistration(JSON.stringify(deskKey.register(options)), options.challenge);
  if (!made.ok) throw new Error(made.reason);
  const saved = await passkeys.save(desk.id, made.passkey, 'Desk key');
  const deskAgent = new HttpAgent(t.url);
  const login = await deskAgent.follow(`${t.url}/login`);
  const step = (await deskAgent.submitSignIn(login.response, 'desk', password)).response;
  expect(step.body).not.toContain('name="code"'); // a passkey only: no code to type
  const ask = await askOptions(deskAgent, step);
  await deskAgent.completeSteps(await postCeremony(deskAgent, ask.form, ask.challenge, deskKey.authenticate(ask.options)));
  expect((await deskAgent.request(`${t.url}/helpdesk`)).status).toBe(200); // AAL2 from the passkey
  const page = await deskAgent.follow(`${t.url}/profile/two-step`);
  expect(page.response.body).not.toContain('action="/profile/two-step/passkeys/remove"');
  expect(textOf(page.response.body)).toContain('this passkey is your only way to do it');
  const csrf = parseForm(page.response.body, page.response.url).fields.csrf!;
  const refused = await deskAgent.request(`${t.url}/profile/two-step/passkeys/remove`, { form: { csrf, passkey: saved.id, current_password: password } });
  expect(refused.status).toBe(403);
  expect(await t.db('passkeys').where({ user_id: desk.id })).toHaveLength(1);

  // The help desk sees names and dates, never a key, and removes them with the rest.
  const card = await t.portal.support.statusCard({ kind: 'operator' }, user.id, {});
  expect(card.secondFactor.passkeys.map((p) => p.name)).toContain('Work laptop');
  const stored = await t.db('passkeys').where({ user_id: user.id });
  expect(JSON.stringify(card)).not.toContain(stored[0].public_key);
  expect(JSON.stringify(card)).not.toContain(stored[0].credential_id);
  await expect(t.portal.support.removeSecondFactor({ kind: 'operator' }, user.id, { code: 'other', text: 'lost laptop', ticket: 'T-2' }, {})).resolves.toEqual({ removed: true });
  expect(await t.db('passkeys').where({ user_id: user.id })).toHaveLength(0);
});

test('at an IP address, where browsers refuse WebAuthn, no page offers a passkey and the portal warns at start', async () => {
  const withPasskeys = await new HttpAgent(t.url).follow(`${t.url}/login`);
  expect(withPasskeys.response.body).toContain('Sign In with a Passkey');
  expect(withPasskeys.response.body).toContain('<script src="/static/passkeys.js" defer></script>');
  expect(t.config.warnings.join('\n')).not.toContain('passkeys');

  const byAddress = await startTestPortal();
  try {
    expect(byAddress.config.warnings.join('\n')).toContain('PORTAL_URL names an IP address: browsers refuse passkeys there');
    const login = await new HttpAgent(byAddress.url).follow(`${byAddress.url}/login`);
    expect(login.response.body).toContain('name="password"');
    expect(login.response.body).not.toContain('Passkey');
    expect(login.response.body).not.toContain('/static/passkeys.js');
  } finally {
    await byAddress.close();
  }
});
