import type { Browser, Page } from 'playwright-core';
import { countingCaptcha, launchChromium, pictureDigits, startTestPortal, watchCspViolations, wordsLeftInEnglish, stepTimeoutMs, type TestPortal } from '../../src/testing/index.js';

/**
 * Spanish (issue 13, part 4), as a Spanish-speaking person meets it: a Chromium whose language is
 * Spanish (its Accept-Language says `es`) signs in, is locked out, resets the password with the
 * emailed code — the mail in Spanish too — and meets the Acceptable Use Agreement and the security
 * questions; every page is in Spanish and none shows an English sentence a catalogue has in
 * Spanish, or a raw key. The "English" switch on a page turns the portal back, and it is remembered.
 */
const password = 'Correct-Horse-9!';
const newPassword = 'Blue-Heron-Lake-42!';

let t: TestPortal;
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  t = await startTestPortal({
    // Each picture shows its own digits, so the test reads them off the picture as a person does.
    captchaGenerator: countingCaptcha(60001),
  });
  await t.directory.createOrg({ code: 'PEDS01', iisId: '1000000001', name: 'Hill Country Pediatrics' });
  await t.directory.createUser({ username: 'lucia', name: 'Lucía Proveedora', email: 'lucia@example.org', password, orgs: ['PEDS01:full_access_provider'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function expectSpanishPage(page: Page, heading: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor({ state: 'visible', timeout: stepTimeoutMs });
  expect(await page.locator('html').getAttribute('lang')).toBe('es');
  expect([page.url(), await wordsLeftInEnglish(page, 'es')]).toEqual([page.url(), []]);
}

async function pressButton(page: Page, name: string): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: stepTimeoutMs });
  await page.locator('main').getByRole('button', { name, exact: true }).click();
  await navigated;
  await page.waitForLoadState('load');
}


test('a Spanish browser: sign-in, lockout, Forgot Password with the emailed code, the Acceptable Use Agreement and the security questions, all in Spanish', async () => {
  const context = await browser.newContext({ locale: 'es-MX', extraHTTPHeaders: { 'accept-language': 'es-MX,es;q=0.9' } });
  const page = await context.newPage();
  const csp = watchCspViolations(page);

  await page.goto(`${t.url}/login`);
  await expectSpanishPage(page, 'Iniciar sesión');
  expect(await page.title()).toMatch(/^Iniciar sesión/);
  await page.getByLabel('Nombre de usuario', { exact: true }).fill('lucia');

  // Six wrong passwords: three plain, then three with the CAPTCHA, which warns how many are left.
  for (let attempt = 1; attempt <= 6; attempt++) {
    await page.getByLabel('Contraseña', { exact: true }).fill(`Wrong-Guess-${attempt}!`);
    if (attempt > 3) await page.getByLabel('Escriba los caracteres de la imagen', { exact: true }).fill(await pictureDigits(page, /^Control de seguridad/));
    await pressButton(page, 'Iniciar sesión');
    if (attempt < 6) {
      await expectSpanishPage(page, 'Iniciar sesión');
      expect(await page.title()).toMatch(/^Error: Iniciar sesión/);
      expect(await page.locator('#form-errors').innerText()).toContain('El nombre de usuario o la contraseña que ingresó no son correctos.');
    }
    if (attempt === 4) expect(await page.locator('main').innerText()).toContain('Después de 2 intentos fallidos más, la cuenta se bloqueará.');
  }
  // Locked: the message in Spanish, with the Spanish support sentence, and the way out.
  await expectSpanishPage(page, /Iniciar sesión|¿Olvidó su contraseña\?/);
  const locked = await page.locator('main').innerText();
  expect(locked).toContain('Su cuenta está bloqueada por demasiados intentos fallidos de inicio de sesión.');
  expect(locked).toContain('Comuníquese con Atención al Cliente');

  // Forgot Password, every step in Spanish, and the code arrives in a Spanish mail.
  await page.goto(`${t.url}/forgot-password?restart=1`);
  await expectSpanishPage(page, '¿Olvidó su contraseña?');
  await page.getByLabel('Nombre de usuario', { exact: true }).fill('lucia');
  await pressButton(page, 'Siguiente');
  await expectSpanishPage(page, '¿Olvidó su contraseña?');
  await page.locator('#answer').fill('Rex'); // no questions set up yet: any answer goes on to the email
  await pressButton(page, 'Siguiente');
  await expectSpanishPage(page, '¿Cómo quiere restablecer su contraseña?');
  expect(await page.getByLabel('Enviarme por correo electrónico un código de seguridad de un solo uso').isChecked()).toBe(true);
  await pressButton(page, 'Siguiente');
  await expectSpanishPage(page, 'Ingrese su código de seguridad');
  await t.mail.waitFor((m) => m.to.includes('lucia@example.org'), stepTimeoutMs);
  const mail = t.mail.messages().find((m) => m.to.includes('lucia@example.org'))!;
  expect(mail.subject).toBe('Su código de seguridad de HHS Enterprise Portal');
  expect(mail.text).toContain('Hola, Lucía Proveedora:');
  expect(mail.text).toMatch(/Vence en 30 minutos, a las .+ del .+, y sirve una sola vez\./);
  expect(mail.text).not.toMatch(/\b(expires|Hello|security code)\b/);
  await page.getByLabel('Código de seguridad', { exact: true }).fill(/^\s*(\d{6})\s*$/m.exec(mail.text)![1]!);
  await pressButton(page, 'Siguiente');
  await expectSpanishPage(page, 'Elija una contraseña nueva');
  expect(await page.getByRole('complementary', { name: 'Reglas de la contraseña' }).innerText()).toContain('Al menos 8 caracteres');
  await page.getByLabel('Contraseña nueva', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirmar la contraseña', { exact: true }).fill(newPassword);
  await pressButton(page, 'Enviar');
  await expectSpanishPage(page, 'Se restableció su contraseña');

  // Signing in again: the Acceptable Use Agreement, its text in Spanish, then the security questions.
  await page.goto(`${t.url}/login`);
  await page.getByLabel('Nombre de usuario', { exact: true }).fill('lucia');
  await page.getByLabel('Contraseña', { exact: true }).fill(newPassword);
  await pressButton(page, 'Iniciar sesión');
  await expectSpanishPage(page, 'Acuerdo de Uso Aceptable de HHS');
  expect(await page.title()).toMatch(/^Acuerdo de Uso Aceptable de HHS/);
  const agreement = await page.getByLabel('Texto del acuerdo').innerText();
  expect(agreement).toContain('Al seleccionar «Acepto», usted acepta que:');
  expect(agreement).not.toContain('You will');
  await pressButton(page, 'Acepto');
  await expectSpanishPage(page, 'Configure sus preguntas de seguridad');
  expect(await page.locator('#question_0 option[value="first-pet"]').innerText()).toBe('¿Cómo se llamaba su primera mascota?');
  for (const [i, id] of ['first-pet', 'first-car', 'favorite-teacher'].entries()) {
    await page.locator(`#question_${i}`).selectOption(id);
    await page.locator(`#answer_${i}`).fill(`Respuesta ${i + 1}`);
  }
  await pressButton(page, 'Enviar');
  await page.getByRole('heading', { level: 1, name: 'HHS Enterprise Portal' }).waitFor({ timeout: stepTimeoutMs });

  // The switch turns the portal to English, and the choice outlives the browser's own language.
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: stepTimeoutMs });
  await page.getByRole('link', { name: 'English', exact: true }).click();
  await navigated;
  await page.goto(`${t.url}/forgot-password?restart=1`);
  await page.getByRole('heading', { level: 1, name: 'Forgot Password' }).waitFor({ timeout: stepTimeoutMs });
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  expect(csp).toEqual([]);
  await context.close();
}, 120_000);
