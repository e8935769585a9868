import type { AuditListResponse, ParentDetail, ParentListResponse } from '@lien/shared';
import type { Page } from 'playwright-core';
import { animationsDone, axeViolations, horizontalOverflow, screenshot } from './support/browser.js';
import { apiCaller, signedIn, useStackAndBrowser } from './support/console.js';

// The audit log names parents for those allowed: a midwife opens a parent's record, then the organisation's
// admin reads, in French and in Paris time, the sentence naming the parent and the midwife; that page is itself
// an audited read (ids only). The platform admin, who reads every organisation's log, sees no parent's name.
// Chromium at 1280 px and on a 390-px phone, axe-core clean, no sideways scroll.
const world = useStackAndBrowser();
const api = apiCaller(() => world.stack.baseUrl);

const PROFESSIONAL = 'sagefemme.62@lien.demo';
const ORG_ADMIN = 'admin.62@lien.demo';
const PLATFORM_ADMIN = 'plateforme@lien.demo';

let parent: ParentDetail;
/** When the midwife's read was recorded (ISO), as the API returns it. */
let readAt: string;

beforeAll(async () => {
  const midwife = await api.logIn(PROFESSIONAL);
  const found = await api.call<ParentListResponse>(midwife, 'GET', '/api/parents?q=Haddad');
  parent = await api.call<ParentDetail>(midwife, 'GET', `/api/parents/${found.items[0]!.id}`);
  expect(`${parent.firstName} ${parent.lastName}`).toBe('Amina Haddad');
  const platform = await api.logIn(PLATFORM_ADMIN);
  const reads = await api.call<AuditListResponse>(platform, 'GET', '/api/audit?action=parent.read');
  const read = reads.items.find((item) => item.targetId === parent.id)!;
  // Through the API too, the platform admin gets the parent's id and no name.
  expect(read.parents).toEqual([{ id: parent.id, name: null }]);
  readAt = read.createdAt;
});

/** The log's first page, once its rows are shown. */
async function auditPage(email: string, width: number): Promise<Page> {
  const page = await signedIn(world, email, { width });
  await page.goto(`${world.stack.baseUrl}/admin/audit`);
  await page.getByTestId('audit-row').first().waitFor();
  return page;
}

async function checkedAndKept(page: Page, name: string): Promise<void> {
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await animationsDone(page);
  await screenshot(page, name);
  expect(await axeViolations(page)).toEqual([]);
}

for (const width of [1280, 390] as const) {
  it(`at ${width} px: the org admin reads the sentence naming the parent and the midwife, in Paris time`, async () => {
    const page = await auditPage(ORG_ADMIN, width);
    const row = page
      .getByTestId('audit-row')
      .filter({ hasText: 'Fiche d’un parent consultée' })
      .filter({ hasText: 'Parent : Amina Haddad' });
    await row.first().waitFor();
    const text = (await row.first().innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Nadia Benali (sage-femme)');
    // The date as Chromium writes it in French for Paris, which is not the UTC time the API returns.
    const [local, utc] = await page.evaluate(
      (iso) =>
        ['Europe/Paris', 'UTC'].map((timeZone) =>
          new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
            new Date(iso),
          ),
        ),
      readAt,
    );
    expect(local).not.toBe(utc);
    expect(text.replace(/\u202f|\u00a0/g, ' ')).toContain(local!.replace(/\u202f|\u00a0/g, ' '));
    // Her search by name is a list read: counted, not expanded into names.
    expect(
      await page
        .getByTestId('audit-row')
        .filter({ hasText: 'Liste des parents consultée' })
        .first()
        .innerText(),
    ).toContain('1 parent nommé dans la liste');
    // The whole sentence fits the screen, a phone's included (one card per row there).
    const right = await row
      .first()
      .getByText('Parent : Amina Haddad')
      .evaluate((element) => {
        const text = document.createRange();
        text.selectNodeContents(element);
        return text.getBoundingClientRect().right;
      });
    expect(right).toBeLessThanOrEqual(width);
    await checkedAndKept(page, `screen-audit-named-${width}`);
    await page.context().close();
  });
}

it('records each named page as an audited read: the parent ids, never a name', async () => {
  const admin = await api.logIn(ORG_ADMIN);
  const reads = await api.call<AuditListResponse>(admin, 'GET', '/api/audit?action=audit.read');
  const byAdmin = reads.items.filter((item) => item.actorDisplayName === 'Claire Lefebvre (admin)');
  expect(byAdmin.length).toBeGreaterThanOrEqual(2);
  for (const read of byAdmin) {
    expect(read.metadata['parentIds']).toEqual(expect.arrayContaining([parent.id]));
    expect(read.parents).toEqual([]);
  }
  expect(JSON.stringify(reads)).not.toContain('Haddad');
});

it('shows the platform admin no parent’s name, only pseudonymised parents', async () => {
  const page = await auditPage(PLATFORM_ADMIN, 1280);
  const table = page.getByTestId('audit-table');
  await table.getByText('Parent pseudonymisé').first().waitFor();
  const text = await table.innerText();
  expect(text).toContain('Fiche d’un parent consultée');
  expect(text).not.toContain('Parent :');
  for (const name of ['Haddad', 'Amina', 'Durand', 'Clarke', 'Petit']) expect(text).not.toContain(name);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await animationsDone(page);
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
});
