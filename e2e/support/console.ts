import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { startStack, type Stack } from './stack.js';

/** The demo accounts' password (`npm run seed` gives it to every demo login). */
export const DEMO_PASSWORD = 'Lien-demo-2026!';

/** A suite's running Lien and Chromium, set by `useStackAndBrowser()` before the first test. */
export interface ConsoleWorld {
  readonly stack: Stack;
  readonly browser: Browser;
}

/** Starts a stack and Chromium before the file's tests and stops both after them. */
export function useStackAndBrowser(...startArgs: Parameters<typeof startStack>): ConsoleWorld {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startStack(...startArgs);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  return {
    get stack(): Stack {
      if (!stack) throw new Error('the stack is not started yet (use it inside a test or a later beforeAll)');
      return stack;
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

/** Signs a demo account in through the console's own form. */
export async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-password').fill(DEMO_PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
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

/** The token of the newest questionnaire link sent to a parent, read from the built-in SMS outbox. */
export async function questionnaireToken(api: ApiCaller, token: string, parentId: string): Promise<string> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const outbox = await api.call<{ items: { parentId: string | null; link: string | null }[] }>(
      token,
      'GET',
      '/api/dev/outbox/sms?limit=100',
    );
    const link = outbox.items.find((item) => item.parentId === parentId && item.link)?.link;
    if (link) return new URL(link).pathname.split('/').pop()!;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no SMS with a link for parent ${parentId}`);
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
