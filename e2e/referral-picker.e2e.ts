import type { Page } from 'playwright-core';
import { animationsDone, axeViolations, horizontalOverflow, screenshot } from './support/browser.js';
import { apiCaller, enrolAndAnswer, signedIn, useStackAndBrowser } from './support/console.js';

// The referral step of an alert (issue 16), in Chromium at 1280 px and on a 390-px phone: on an alert whose
// item 10 is positive the emergency routes come first; on another alert the professional picks an entry of the
// organisation's referral directory (seeded through the API by the org admin), records the referral and finds
// where the parent was sent in the alert's history. axe-core finds nothing with the dialog open and after, and
// nothing scrolls sideways. The parents answer through the questionnaire's JSON door (the journey covers the
// parent's pages); the steps before the referral go through the API, the referral itself through the console.
const RESOURCE = {
  name: 'CMP périnatal de Liévin',
  kind: 'cmp',
  address: '3 rue Jean Jaurès, 62800 Liévin',
  phone: '03 21 44 55 66',
  languages: ['fr'],
  acceptsNewPatients: true,
  usualDelayDays: 14,
};
// Option indexes, item 1 first. Items 1, 2 and 4 score 0 on their first option, the others on their last (item
// 10 "Jamais" is its last). ITEM10: every item at 0 but item 10 "Presque jamais" (1 point): urgent by item 10
// alone. MODERATE: items 3, 5, 6 and 7 at 3 points (12, a mother's moderate band), item 10 "Jamais".
const ITEM10 = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2];
const MODERATE = [0, 0, 0, 0, 0, 0, 0, 3, 3, 3];

const world = useStackAndBrowser();
const api = apiCaller(() => world.stack.baseUrl);
let urgentAlertId: string;
const moderateAlertIds = new Map<number, string>();
let resourceId: string;

/** A mother's alert from her day-7 answers, acknowledged and reached by phone: a referral follows a contact. */
async function contactedAlert(
  token: string,
  lastName: string,
  phone: string,
  answers: number[],
): Promise<string> {
  const alertId = await enrolAndAnswer(world, api, token, { lastName, phone }, answers);
  await api.call(token, 'POST', `/api/alerts/${alertId}/events`, { type: 'acknowledge' });
  await api.call(token, 'POST', `/api/alerts/${alertId}/events`, {
    type: 'contact_attempt',
    outcome: 'reached',
    channel: 'phone',
  });
  return alertId;
}

beforeAll(async () => {
  const admin = await api.logIn('admin.62@lien.demo');
  resourceId = (await api.call<{ id: string }>(admin, 'POST', '/api/referral-resources', RESOURCE)).id;
  const professional = await api.logIn('infirmiere.62@lien.demo');
  [urgentAlertId] = await Promise.all([
    contactedAlert(professional, 'Orientation-Urgence', '06 41 22 33 01', ITEM10),
    contactedAlert(professional, 'Orientation-Large', '06 41 22 33 02', MODERATE).then((id) =>
      moderateAlertIds.set(1280, id),
    ),
    contactedAlert(professional, 'Orientation-Mobile', '06 41 22 33 03', MODERATE).then((id) =>
      moderateAlertIds.set(390, id),
    ),
  ]);
});

const signedInNurse = (width: number): Promise<Page> => signedIn(world, 'infirmiere.62@lien.demo', { width });

/** No sideways scroll, no axe violation, a screenshot kept: the verdict names the screen. */
async function checkScreen(page: Page, name: string): Promise<void> {
  await animationsDone(page);
  await screenshot(page, name);
  expect({
    screen: name,
    overflow: await horizontalOverflow(page),
    violations: await axeViolations(page),
  }).toEqual({ screen: name, overflow: 0, violations: [] });
}

async function openReferral(page: Page, alertId: string): Promise<void> {
  await page.goto(`${world.stack.baseUrl}/alerts/${alertId}`);
  await page.locator('[data-testid="alert-status"][data-status="contacted"]').waitFor();
  await page.getByTestId('action-referral').click();
  await page.getByTestId('event-form').waitFor();
  // The directory is read when the dialog opens: judged once it is there.
  await page.getByTestId('event-directory-choices').waitFor();
}

/** The routes' sections in the dialog, in reading order. */
const sectionOrder = (page: Page): Promise<string[]> =>
  page
    .getByTestId('event-form')
    .locator('section.route')
    .evaluateAll((sections) => sections.map((section) => section.getAttribute('data-testid') ?? 'other'));

describe.each([1280, 390])('the referral picker at %i px', (width) => {
  it('offers the emergency routes first when item 10 is positive', async () => {
    const page = await signedInNurse(width);
    try {
      await openReferral(page, urgentAlertId);
      await page.getByTestId('event-emergency-first').waitFor();
      expect(await sectionOrder(page)).toEqual(['event-emergency', 'event-directory', 'other']);
      await checkScreen(page, `referral-urgent-dialog-${width}`);
      await page.getByTestId('event-cancel').click();
      await page.getByTestId('event-form').waitFor({ state: 'detached' });
      await expect(page.getByTestId('alert-status').getAttribute('data-status')).resolves.toBe('contacted');
    } finally {
      await page.context().close();
    }
  });

  it('records a referral to a directory entry and shows where in the history', async () => {
    const page = await signedInNurse(width);
    try {
      await openReferral(page, moderateAlertIds.get(width)!);
      expect(await page.getByTestId('event-emergency-first').count()).toBe(0);
      expect(await sectionOrder(page)).toEqual(['event-directory', 'event-emergency', 'other']);
      const entry = page.getByTestId(`event-resource-${resourceId}`);
      expect(await entry.innerText()).toContain(RESOURCE.name);
      await checkScreen(page, `referral-directory-dialog-${width}`);

      await entry.click();
      await page.getByTestId('event-submit').click();
      await page.getByTestId('event-form').waitFor({ state: 'detached' });
      await page.locator('[data-testid="alert-status"][data-status="referred"]').waitFor();
      const referral = page.getByTestId('alert-event').filter({ hasText: RESOURCE.name });
      await referral.waitFor();
      expect(await referral.innerText()).toContain('CMP');
      await checkScreen(page, `referral-recorded-${width}`);
    } finally {
      await page.context().close();
    }
  });
});
