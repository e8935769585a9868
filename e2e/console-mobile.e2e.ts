import type { Page } from 'playwright-core';
import { axeViolations, horizontalOverflow, screenshot } from './support/browser.js';
import { fillBirthDate, fillEnrolmentParent, signedIn, useStackAndBrowser } from './support/console.js';

// The console as a professional uses it on a phone (390 px) and a desktop (1280 px): the alert and parent
// lists become cards with the deadline and status, no page scrolls sideways, phones read "06 12 34 56 78".
const world = useStackAndBrowser();

const signedInNurse = (width: number): Promise<Page> => signedIn(world, 'infirmiere.62@lien.demo', { width });

async function enrol(page: Page): Promise<void> {
  await page.goto(`${world.stack.baseUrl}/parents/new`);
  await fillEnrolmentParent(page, 'enrol', {
    firstName: 'Inès',
    lastName: 'Mobile',
    phone: '06 12 34 56 78',
    role: 'father',
  });
  await fillBirthDate(page, new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString().slice(0, 10));
  await page.getByTestId('enrol-consent').locator('input').check();
  await page.getByTestId('enrol-submit').click();
  await page.waitForURL(/\/parents\/[0-9a-f-]{36}/);
}

it('at 390 px: parents and alerts as cards, no horizontal scroll, French phone format, axe clean', async () => {
  const page = await signedInNurse(390);
  await enrol(page);

  await page.goto(`${world.stack.baseUrl}/parents`);
  const row = page.getByTestId('parent-row').filter({ hasText: 'Mobile' }).first();
  await row.waitFor();
  // A card: the row is a block, its cells stacked and named.
  expect(await row.evaluate((element) => getComputedStyle(element).display)).toBe('block');
  expect(await row.innerText()).toContain('06 12 34 56 78');
  // Each cell named by its column (shown by CSS before the value): the status and next SMS are on the card.
  expect(await row.locator('td[data-label="Statut"]').isVisible()).toBe(true);
  expect(await row.locator('td[data-label]').count()).toBe(5);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  await screenshot(page, 'console-parents-390');
  expect(await axeViolations(page)).toEqual([]);

  await page.goto(`${world.stack.baseUrl}/alerts`);
  await page.getByTestId('alerts-table').or(page.getByTestId('alerts-empty')).first().waitFor();
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  const alertRow = page.getByTestId('alert-row').first();
  if (await alertRow.count()) {
    expect(await alertRow.evaluate((element) => getComputedStyle(element).display)).toBe('block');
    expect(await alertRow.locator('td[data-label="Échéance"]').isVisible()).toBe(true);
    expect(await alertRow.locator('td[data-label="Statut"]').isVisible()).toBe(true);
  }
  await screenshot(page, 'console-alerts-390');
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
});

it('at 1280 px: the same lists stay tables', async () => {
  const page = await signedInNurse(1280);
  await page.goto(`${world.stack.baseUrl}/parents`);
  const row = page.getByTestId('parent-row').first();
  await row.waitFor();
  expect(await row.evaluate((element) => getComputedStyle(element).display)).toBe('table-row');
  await screenshot(page, 'console-parents-1280');
  await page.goto(`${world.stack.baseUrl}/alerts`);
  await page.getByTestId('alerts-table').or(page.getByTestId('alerts-empty')).first().waitFor();
  await screenshot(page, 'console-alerts-1280');
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
});
