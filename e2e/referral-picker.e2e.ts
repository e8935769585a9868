import type { Browser, Page } from 'playwright-core';
import {
  animationsDone,
  axeViolations,
  horizontalOverflow,
  launchBrowser,
  screenshot,
} from './support/browser.js';
import { startStack, type Stack } from './support/stack.js';

// The referral step of an alert (issue 16), in Chromium at 1280 px and on a 390-px phone: on an alert whose
// item 10 is positive the emergency routes come first; on another alert the professional picks an entry of the
// organisation's referral directory (seeded through the API by the org admin), records the referral and finds
// where the parent was sent in the alert's history. axe-core finds nothing with the dialog open and after, and
// nothing scrolls sideways. The parents answer through the questionnaire's JSON door (the journey covers the
// parent's pages); the steps before the referral go through the API, the referral itself through the console.
const PASSWORD = 'Lien-demo-2026!';
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

let stack: Stack;
let browser: Browser;
let urgentAlertId: string;
const moderateAlertIds = new Map<number, string>();
let resourceId: string;

async function api<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function logIn(email: string): Promise<string> {
  const response = await fetch(`${stack.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** Enrols a mother born eight days ago (her day-7 SMS goes out at once), answers it, returns her alert's id. */
async function alertFor(token: string, lastName: string, phone: string, answers: number[]): Promise<string> {
  const birthDate = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const parent = await api<{ id: string }>(token, 'POST', '/api/parents', {
    firstName: 'Léa',
    lastName,
    phone,
    role: 'mother',
    language: 'fr',
    birthDate,
    consent: { given: true, textVersion: '2026-01' },
  });
  let link: string | null = null;
  for (let attempt = 0; attempt < 60 && !link; attempt += 1) {
    const outbox = await api<{ items: { parentId: string | null; link: string | null }[] }>(
      token,
      'GET',
      '/api/dev/outbox/sms?limit=100',
    );
    link = outbox.items.find((item) => item.parentId === parent.id && item.link)?.link ?? null;
    if (!link) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!link) throw new Error(`no SMS with a link for ${lastName}`);
  const linkToken = new URL(link).pathname.split('/').pop()!;
  const submitted = await fetch(`${stack.baseUrl}/api/public/questionnaires/${linkToken}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ answers, language: 'fr' }),
  });
  expect(submitted.status).toBe(201);
  const alerts = await api<{ items: { id: string; parentId: string | null }[] }>(token, 'GET', '/api/alerts');
  const alert = alerts.items.find((item) => item.parentId === parent.id);
  if (!alert) throw new Error(`no alert for ${lastName}`);
  // A referral follows a contact: acknowledged, then reached by phone.
  await api(token, 'POST', `/api/alerts/${alert.id}/events`, { type: 'acknowledge' });
  await api(token, 'POST', `/api/alerts/${alert.id}/events`, {
    type: 'contact_attempt',
    outcome: 'reached',
    channel: 'phone',
  });
  return alert.id;
}

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  const admin = await logIn('admin.62@lien.demo');
  resourceId = (await api<{ id: string }>(admin, 'POST', '/api/referral-resources', RESOURCE)).id;
  const professional = await logIn('infirmiere.62@lien.demo');
  [urgentAlertId] = await Promise.all([
    alertFor(professional, 'Orientation-Urgence', '06 41 22 33 01', ITEM10),
    alertFor(professional, 'Orientation-Large', '06 41 22 33 02', MODERATE).then((id) =>
      moderateAlertIds.set(1280, id),
    ),
    alertFor(professional, 'Orientation-Mobile', '06 41 22 33 03', MODERATE).then((id) =>
      moderateAlertIds.set(390, id),
    ),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function signedIn(width: number): Promise<Page> {
  // bypassCSP only lets the test inject axe-core; the pages themselves run under the real policy.
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    bypassCSP: true,
  });
  const page = await context.newPage();
  await page.goto(`${stack.baseUrl}/`);
  await page.getByTestId('sign-in-email').fill('infirmiere.62@lien.demo');
  await page.getByTestId('sign-in-password').fill(PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  return page;
}

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
  await page.goto(`${stack.baseUrl}/alerts/${alertId}`);
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
    const page = await signedIn(width);
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
    const page = await signedIn(width);
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
