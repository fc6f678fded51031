import { startTestPortal, HttpAgent, parseForm, textOf, type TestPortal } from '../src/testing/index.js';

/**
 * The security-question catalogue as administrators keep it (issue #8): a question added is offered
 * at once; a retired one is no longer offered, while an answer already given to it still works in
 * Forgot Password; every change needs a reason and is audited; only administrators may change it.
 */
const password = 'Correct-Horse-9!';
const reason = { code: 'data_correction', text: 'Catalogue review by the security office' };
let t: TestPortal;
const admin = { kind: 'person', userId: 'admin-id', username: 'admin', role: 'admin' } as const;
const desk = { kind: 'person', userId: 'desk-id', username: 'desk', role: 'helpdesk' } as const;

beforeAll(async () => {
  t = await startTestPortal();
});
afterAll(async () => {
  await t?.close();
});

async function questionsOffered(): Promise<string[]> {
  const username = `q${Math.random().toString(36).slice(2, 8)}`;
  await t.directory.createUser({ username, email: `${username}@example.org`, password });
  const agent = new HttpAgent(t.url);
  const login = await agent.follow(`${t.url}/login`);
  const step = await agent.submitSignIn(login.response, username, password);
  const aua = parseForm(step.response.body, step.response.url);
  const questions = (await agent.follow(aua.action, { form: { ...aua.fields, choice: 'agree' } })).response;
  expect(textOf(questions.body)).toContain('Set Up Your Security Questions');
  return [...questions.body.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]!);
}

test('an added question is offered at once; a retired one is not, yet its answers still work', async () => {
  const { id } = await t.portal.questions.add(admin, 'What was the name of your first school?', reason, {});
  expect(await questionsOffered()).toContain(id);

  // Someone answers it, then it is retired.
  await t.directory.createUser({ username: 'kept', email: 'kept@example.org', password });
  const user = (await t.portal.services.users.findByUsername('kept'))!;
  await t.portal.services.securityQuestions.save(user.id, [
    { questionId: id, answer: 'Lincoln Elementary' },
    { questionId: 'first-pet', answer: 'Rex' },
    { questionId: 'first-car', answer: 'Ford' },
  ], {});
  await t.portal.questions.setOffered(admin, id, false, reason, {});
  expect(await questionsOffered()).not.toContain(id);
  expect(await t.portal.services.securityQuestions.verify(user.id, id, 'lincoln elementary')).toBe(true);
  expect((await t.portal.services.securityQuestions.questionsOf(user.id)).map((q) => q.id)).toContain(id);

  // A new choice of a retired question is refused.
  const refused = await t.portal.services.securityQuestions.save(user.id, [
    { questionId: id, answer: 'Lincoln Elementary' },
    { questionId: 'first-pet', answer: 'Rex' },
    { questionId: 'first-car', answer: 'Ford' },
  ], {});
  expect(refused.ok).toBe(false);

  const actions = (await t.db('audit_events').where({ subject: id }).pluck('action')) as string[];
  expect(actions).toEqual(['admin.question_add', 'admin.question_retire']);
});

test('only administrators change the catalogue, always with a reason; bad questions are refused', async () => {
  await expect(t.portal.questions.add(desk, 'What is your favourite colour today?', reason, {})).rejects.toMatchObject({ code: 'admin.forbidden', status: 403 });
  await expect(t.portal.questions.add(admin, 'What is your favourite colour today?', {}, {})).rejects.toMatchObject({ code: 'admin.reason_code' });
  await expect(t.portal.questions.add(admin, 'No question mark here', reason, {})).rejects.toMatchObject({ status: 400 });
  await expect(t.portal.questions.add(admin, 'What was the name of your first pet?', reason, {})).rejects.toMatchObject({ status: 400 });
  await expect(t.portal.questions.setOffered(admin, 'no-such-question', false, reason, {})).rejects.toMatchObject({ status: 404 });
});

test('the administration pages: add with a reason, retire through a confirmation; the help desk is refused', async () => {
  await t.directory.createUser({ username: 'ada', email: 'ada@example.org', password, role: 'admin' });
  await t.directory.createUser({ username: 'dana', email: 'dana@example.org', password, role: 'helpdesk' });
  const signIn = (username: string) => new HttpAgent(t.url).signInToPortal(username, password);
  const ada = await signIn('ada');
  const addPage = await ada.request(`${t.url}/admin/security-questions/new`);
  const addForm = parseForm(addPage.body, addPage.url);
  const refused = await ada.request(addForm.action, { form: { ...addForm.fields, text: 'What street did your grandparents live on?' } });
  expect(refused.status).toBe(400);
  expect(textOf(refused.body)).toContain('Choose a reason from the list.');
  const added = (await ada.follow(addForm.action, { form: { ...addForm.fields, text: 'What street did your grandparents live on?', reason_code: 'data_correction', reason: 'Catalogue review by the security office' } })).response;
  expect(textOf(added.body)).toContain('Added. It is offered from now on.');
  const id = /href="\/admin\/security-questions\/([^/"]+)\/retire">Retire<\/a><\/td><\/tr><\/tbody>/.exec(added.body)?.[1] ?? (await t.db('security_question_catalogue').where({ text: 'What street did your grandparents live on?' }).first()).id;
  const retirePage = await ada.request(`${t.url}/admin/security-questions/${id}/retire`);
  expect(textOf(retirePage.body)).toContain('Retire this question?');
  const retireForm = parseForm(retirePage.body, retirePage.url);
  const retired = (await ada.follow(retireForm.action, { form: { ...retireForm.fields, reason_code: 'data_correction', reason: 'Answers are too easy to guess' } })).response;
  expect(textOf(retired.body)).toContain('Retired. It is no longer offered');
  expect(await questionsOffered()).not.toContain(id);

  const dana = await signIn('dana');
  expect((await dana.request(`${t.url}/admin/security-questions`)).status).toBe(403);
  expect((await dana.request(`${t.url}/admin/security-questions/new`, { form: { ...addForm.fields, text: 'What is your favourite river?', reason_code: 'other', reason: 'Trying my luck here' } })).status).toBe(403);
});
