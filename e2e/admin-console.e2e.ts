import type { Page } from 'playwright-core';
import { animationsDone, axeViolations, horizontalOverflow, screenshot } from './support/browser.js';
import { pick, signedIn, useStackAndBrowser } from './support/console.js';

// An organisation admin keeps the on-call rota, the referral directory and the self-screening sources in the
// console: at 1280 px and on a 390 px phone, with no axe violation and no sideways scroll on the phone.
const world = useStackAndBrowser();

const signedInAdmin = (width: number): Promise<Page> =>
  signedIn(world, 'admin.62@lien.demo', { width, permissions: ['clipboard-read', 'clipboard-write'] });

async function checkPage(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  // A field error fades in: judged once it is shown.
  await animationsDone(page);
  await screenshot(page, name);
  expect({ page: name, violations: await axeViolations(page) }).toEqual({ page: name, violations: [] });
}

describe('the admin console at 1280 px', () => {
  let page: Page;

  beforeAll(async () => {
    page = await signedInAdmin(1280);
  });
  afterAll(async () => page.context().close());

  it('edits the on-call rota: a slot added, a refused mobile said on its field, then saved', async () => {
    await page.goto(`${world.stack.baseUrl}/admin/on-call`);
    await page.getByTestId('rota-form').waitFor();
    await expect(page.getByTestId('rota-empty').isVisible()).resolves.toBe(true);
    await checkPage(page, 'admin-on-call-empty-1280');

    await page.getByTestId('rota-add').click();
    // The new slot's first field has the focus.
    await expect(
      page
        .getByTestId('rota-user')
        .last()
        .evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);
    await pick(page, 'rota-user', ['Sophie Martin (puéricultrice)']);
    // Monday to Friday are preselected: the weekend added, every night of the week.
    await pick(page, 'rota-weekdays', ['Samedi', 'Dimanche']);
    await pick(page, 'rota-start', ['19 h 00']);
    await pick(page, 'rota-end', ['07 h 00']);
    // A landline is refused before sending, named on its field.
    await page.getByTestId('rota-phone').last().fill('03 21 00 00 00');
    await page.getByTestId('rota-save').click();
    const phoneField = page
      .locator('mat-form-field')
      .filter({ has: page.getByTestId('rota-phone') })
      .last();
    await expect(phoneField.locator('mat-error').innerText()).resolves.toContain('numéro de mobile');
    await checkPage(page, 'admin-on-call-error-1280');

    await page.getByTestId('rota-phone').last().fill('06 12 34 56 78');
    await page.getByTestId('rota-save').click();
    await page.getByTestId('rota-status').filter({ hasText: 'Astreinte enregistrée.' }).waitFor();
    // Saved and read back: the mobile in French format, the days nobody covers listed.
    await expect(page.getByTestId('rota-phone').last().inputValue()).resolves.toBe('06 12 34 56 78');
    await expect(page.getByTestId('rota-gaps').innerText()).resolves.toContain('Lundi de 07 h 00 à 19 h 00');
    await checkPage(page, 'admin-on-call-saved-1280');
  });

  it('adds a resource to the referral directory and finds it by territory', async () => {
    await page.goto(`${world.stack.baseUrl}/admin/referrals`);
    await page.getByTestId('referral-form').waitFor();
    await checkPage(page, 'admin-referrals-1280');
    await page.getByTestId('referral-name').fill('CMP de Lens');
    await pick(page, 'referral-kind', ['CMP (centre médico-psychologique)']);
    await page.getByTestId('referral-address').fill('12 rue de Lille, 62300 Lens');
    // A number the API refuses: its 400 is said on the phone field, in French.
    await page.getByTestId('referral-phone').fill('03 21');
    await page.getByTestId('referral-submit').click();
    await page.getByTestId('referrals-error').filter({ hasText: 'À vérifier : Téléphone.' }).waitFor();
    const phoneField = page.locator('mat-form-field').filter({ has: page.getByTestId('referral-phone') });
    await expect(phoneField.locator('mat-error').innerText()).resolves.toContain(
      'Saisissez un numéro de téléphone français valide.',
    );
    await checkPage(page, 'admin-referrals-error-1280');
    await page.getByTestId('referral-phone').fill('03 21 00 00 00');
    await page.getByTestId('referral-languages').fill('fr, ar');
    await page.getByTestId('referral-delay').fill('21');
    await page.getByTestId('referral-submit').click();
    await page
      .getByTestId('referrals-status')
      .filter({ hasText: 'Ressource « CMP de Lens » ajoutée.' })
      .waitFor();
    // The emptied form asks for nothing yet.
    await expect(page.getByTestId('referral-form').locator('mat-error').count()).resolves.toBe(0);
    const row = page.getByTestId('referral-row').filter({ hasText: 'CMP de Lens' });
    await expect(row.innerText()).resolves.toContain('03 21 00 00 00');
    await page.getByTestId('referral-filter-territory').fill('62300');
    await expect(page.getByTestId('referral-row').count()).resolves.toBe(1);
    await page.getByTestId('referral-filter-territory').fill('59000');
    await page.getByTestId('referrals-empty').waitFor();
    await page.getByTestId('referral-filter-territory').fill('');
    await checkPage(page, 'admin-referrals-added-1280');
  });

  it('creates a source, downloads its QR code and copies its widget', async () => {
    await page.goto(`${world.stack.baseUrl}/admin/sources`);
    await page.getByTestId('source-form').waitFor();
    await checkPage(page, 'admin-sources-1280');
    await page.getByTestId('source-name').fill('Dépliant de la maternité de Lens');
    await page.getByTestId('source-partner').fill('Maternité de Lens');
    await page.getByTestId('source-code').fill('maternite-lens');
    await page.getByTestId('source-submit').click();
    await page.getByTestId('sources-status').filter({ hasText: 'maternite-lens' }).waitFor();
    const row = page.getByTestId('source-row').filter({ hasText: 'Dépliant de la maternité de Lens' });
    await expect(row.getByTestId('source-screenings').innerText()).resolves.toBe('0');

    const [svg] = await Promise.all([
      page.waitForEvent('download'),
      row.getByTestId('source-qr-svg').click(),
    ]);
    expect(svg.suggestedFilename()).toBe('qr-maternite-lens.svg');
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      row.getByTestId('source-qr-png').click(),
    ]);
    expect(png.suggestedFilename()).toBe('qr-maternite-lens.png');

    await row.getByTestId('source-copy-widget').click();
    await row.getByTestId('source-copied').filter({ hasText: 'Code du widget copié' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`${world.stack.baseUrl}/depistage/maternite-lens?embed=1`);
    await expect(row.getByTestId('source-snippet').inputValue()).resolves.toBe(copied);

    // The same code again: refused, said on the code field.
    await page.getByTestId('source-name').fill('Affiche');
    await page.getByTestId('source-code').fill('maternite-lens');
    await page.getByTestId('source-submit').click();
    await page
      .getByTestId('sources-error')
      .filter({ hasText: 'Ce code de source est déjà utilisé.' })
      .waitFor();
    await checkPage(page, 'admin-sources-created-1280');
  });
});

describe('the admin console at 390 px', () => {
  let page: Page;

  beforeAll(async () => {
    page = await signedInAdmin(390);
  });
  afterAll(async () => page.context().close());

  for (const [path, ready, name] of [
    ['/admin/on-call', 'rota-slot', 'admin-on-call-390'],
    ['/admin/referrals', 'referral-row', 'admin-referrals-390'],
    ['/admin/sources', 'source-row', 'admin-sources-390'],
  ] as const) {
    it(`${path}: no horizontal scroll, axe clean`, async () => {
      await page.goto(`${world.stack.baseUrl}${path}`);
      await page.getByTestId(ready).first().waitFor();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await checkPage(page, name);
    });
  }

  it('adds a resource to the directory on the phone too', async () => {
    await page.goto(`${world.stack.baseUrl}/admin/referrals`);
    await page.getByTestId('referral-name').fill('Écoute parents 62');
    await pick(page, 'referral-kind', ['Ligne d’écoute']);
    await page.getByTestId('referral-phone').fill('03 21 11 22 33');
    await page.getByTestId('referral-submit').click();
    await page.getByTestId('referral-row').filter({ hasText: 'Écoute parents 62' }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await checkPage(page, 'admin-referrals-added-390');
  });
});
