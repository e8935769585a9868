import type { Browser, Page } from 'playwright-core';
import type { ParentRole } from '@lien/shared';
import { launchBrowser } from './browser.js';
import { startStack, type Stack } from './stack.js';

/** The demo accounts' password (`npm run seed` gives it to every demo login). */
export const DEMO_PASSWORD = 'Lien-demo-2026!';

/** A suite's running Lien, set by `useStack()` before the first test. */
export interface StackWorld {
  readonly stack: Stack;
}

/** A suite's running Lien and Chromium, set by `useStackAndBrowser()` before the first test. */
export interface ConsoleWorld extends StackWorld {
  readonly browser: Browser;
}

/** Starts a stack before the file's tests and stops it after them (a suite that needs no browser). */
export function useStack(...startArgs: Parameters<typeof startStack>): StackWorld {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(...startArgs);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return {
    get stack(): Stack {
      if (!stack) throw new Error('the stack is not started yet (use it inside a test or a later beforeAll)');
      return stack;
    },
  };
}

/** Starts a stack and Chromium before the file's tests and stops both after them. */
export function useStackAndBrowser(...startArgs: Parameters<typeof startStack>): ConsoleWorld {
  const world = useStack(...startArgs);
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get stack(): Stack {
      return world.stack;
    },
    get browser(): Browser {
      if (!browser) throw new Error('Chromium is not started yet');
      return browser;
    },
  };
}

export interface PageOptions {
  width?: number;
  height?: number;
  permissions?: string[];
}

/** A new page as a French professional in Paris sees it (its own context: its own session). */
export async function newConsolePage(browser: Browser, options: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    // bypassCSP only lets the test inject axe-core; the pages themselves run under the real policy.
    bypassCSP: true,
    ...(options.permissions ? { permissions: options.permissions } : {}),
  });
  return context.newPage();
}

/** Picks options of a Material select by their text; a multiple select is closed with Escape. */
export async function pick(page: Page, testId: string, labels: string[]): Promise<void> {
  // The form field opens it, as a click on its label does (the floating label covers the empty select).
  await page.getByTestId(testId).last().locator('xpath=ancestor::mat-form-field[1]').click();
  for (const label of labels) await page.getByRole('option', { name: label, exact: true }).click();
  if (await page.getByRole('listbox').isVisible()) await page.keyboard.press('Escape');
  await page.getByRole('listbox').waitFor({ state: 'hidden' });
}

/** Signs a demo account in through the console's own form. */
export async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-password').fill(DEMO_PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/** One parent of the console's enrolment form: `enrol` is the first parent's fieldset, `other` the second's. */
export interface EnrolmentParent {
  firstName: string;
  lastName: string;
  phone: string;
  role: ParentRole;
}

/** Fills a parent's names, mobile and role in the enrolment form (the same fieldset for both parents). */
export async function fillEnrolmentParent(
  page: Page,
  fieldset: 'enrol' | 'other',
  parent: EnrolmentParent,
): Promise<void> {
  await page.getByTestId(`${fieldset}-first-name`).fill(parent.firstName);
  await page.getByTestId(`${fieldset}-last-name`).fill(parent.lastName);
  await page.getByTestId(`${fieldset}-phone`).fill(parent.phone);
  await page.getByTestId(`${fieldset}-role-${parent.role}`).click();
}

/** Gives the enrolment's birth date (`yyyy-mm-dd`), the child being born already. */
export async function fillBirthDate(page: Page, isoDate: string): Promise<void> {
  await page.getByTestId('enrol-date-kind-birth').click();
  await page.getByTestId('enrol-birth-date').fill(isoDate);
}

/** A new page with `email` signed in. */
export async function signedIn(world: ConsoleWorld, email: string, options: PageOptions = {}): Promise<Page> {
  const page = await newConsolePage(world.browser, options);
  await signIn(page, world.stack.baseUrl, email);
  return page;
}

/** The JSON API as a partner or a test set-up calls it (no browser). */
export interface ApiCaller {
  logIn(email: string): Promise<string>;
  call<T>(token: string, method: string, path: string, body?: unknown): Promise<T>;
}

export function apiCaller(baseUrl: () => string): ApiCaller {
  return {
    async logIn(email) {
      const response = await fetch(`${baseUrl()}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: DEMO_PASSWORD }),
      });
      if (response.status !== 200) throw new Error(`log-in of ${email}: ${response.status}`);
      return ((await response.json()) as { accessToken: string }).accessToken;
    },
    async call<T>(token: string, method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${baseUrl()}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
}

/** An SMS as the built-in outbox (`GET /api/dev/outbox/sms`) shows it. */
export interface OutboxSms {
  parentId: string | null;
  kind: 'invitation' | 'reminder' | null;
  body: string;
  link: string | null;
}

/** The newest SMS with a questionnaire link sent to a parent, read from the built-in SMS outbox (waits for it). */
export async function sentSms(
  api: ApiCaller,
  token: string,
  parentId: string,
): Promise<OutboxSms & { link: string }> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const outbox = await api.call<{ items: OutboxSms[] }>(token, 'GET', '/api/dev/outbox/sms?limit=100');
    const sms = outbox.items.find((item) => item.parentId === parentId && item.link);
    if (sms?.link) return { ...sms, link: sms.link };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no SMS with a link for parent ${parentId}`);
}

/** The token of the newest questionnaire link sent to a parent, read from the built-in SMS outbox. */
export async function questionnaireToken(api: ApiCaller, token: string, parentId: string): Promise<string> {
  const { link } = await sentSms(api, token, parentId);
  return new URL(link).pathname.split('/').pop()!;
}

/** Answers a questionnaire through its JSON door (option indexes, item 1 first), as the parent's phone would. */
export async function answerQuestionnaire(
  baseUrl: string,
  linkToken: string,
  answers: number[],
): Promise<void> {
  const submitted = await fetch(`${baseUrl}/api/public/questionnaires/${linkToken}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ answers, language: 'fr' }),
  });
  if (submitted.status !== 201) throw new Error(`answer: ${submitted.status} ${await submitted.text()}`);
}

/** A parent enrolled through the API, as a professional's console would (consent given, French). */
export interface EnrolledParent {
  firstName?: string;
  lastName: string;
  phone: string;
  role?: 'mother' | 'father' | 'co_parent';
  /** Days since the birth: 8 makes the day-7 SMS go out at once. */
  daysSinceBirth: number;
}

/** Enrols a parent through `POST /api/parents` and returns the parent's id. */
export async function enrolParent(api: ApiCaller, token: string, parent: EnrolledParent): Promise<string> {
  const birthDate = new Date(Date.now() - parent.daysSinceBirth * 24 * 3600 * 1000)
    .toISOString()
    .slice(0, 10);
  const created = await api.call<{ id: string }>(token, 'POST', '/api/parents', {
    firstName: parent.firstName ?? 'Léa',
    lastName: parent.lastName,
    phone: parent.phone,
    role: parent.role ?? 'mother',
    language: 'fr',
    birthDate,
    consent: { given: true, textVersion: '2026-01' },
  });
  return created.id;
}

/**
 * Enrols a parent whose day-7 SMS goes out at once (born eight days ago), answers that questionnaire with
 * `answers` (option indexes, item 1 first) and returns the id of the alert the answers raised.
 */
export async function enrolAndAnswer(
  world: StackWorld,
  api: ApiCaller,
  token: string,
  parent: Omit<EnrolledParent, 'daysSinceBirth'>,
  answers: number[],
): Promise<string> {
  const parentId = await enrolParent(api, token, { ...parent, daysSinceBirth: 8 });
  await answerQuestionnaire(world.stack.baseUrl, await questionnaireToken(api, token, parentId), answers);
  const alerts = await api.call<{ items: { id: string; parentId: string | null }[] }>(
    token,
    'GET',
    '/api/alerts',
  );
  const alert = alerts.items.find((item) => item.parentId === parentId);
  if (!alert) throw new Error(`no alert for ${parent.lastName}`);
  return alert.id;
}
