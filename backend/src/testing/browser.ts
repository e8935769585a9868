import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { startTestApiWith, stopTestApi, type TestApi } from './api-spec.js';

/** The browser specs drive Debian's Chromium (`apt-get install chromium`), or CHROMIUM_PATH's. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE_SOURCE = createRequire(path.join(process.cwd(), 'package.json')).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** A headless Chromium without the background traffic of a desktop profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** axe-core's WCAG 2.0/2.1 A and AA violations of a page or frame (its context needs `bypassCSP`). */
export async function axeViolations(target: Page | Frame): Promise<AxeViolation[]> {
  await target.addScriptTag({ path: AXE_SOURCE });
  // A string runs in the page as is (the backend's TypeScript has no DOM types).
  return target.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => node.target.join(' ')),
    }));
  })()`);
}

/** A phone's screen (touch, one device pixel per CSS pixel), as context options. */
export type PhoneDevice = ReturnType<typeof phoneDevice>;
const phoneDevice = (screen: { width: number; height: number }) =>
  ({ viewport: screen, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }) as const;

/** A browser spec's API, the URL Chromium reaches it at, Chromium, and the phone it browses with. */
export interface BrowserSpec extends TestApi {
  baseUrl: string;
  browser: Browser;
  device: PhoneDevice;
  /** A French context on `device`; `bypassCSP` only lets axe be injected. */
  newPhoneContext: (javaScriptEnabled?: boolean) => Promise<BrowserContext>;
}

/** For `beforeAll`: the `artifacts` folder for screenshots, `startTestApi`, and Chromium on a phone of `screen`. */
export async function startBrowserSpec(
  artifacts: string,
  screen: { width: number; height: number },
): Promise<BrowserSpec> {
  mkdirSync(artifacts, { recursive: true });
  return startTestApiWith(async ({ api }) => {
    const baseUrl = (await api.getUrl()).replace('[::1]', '127.0.0.1');
    const browser = await launchChromium();
    const device = phoneDevice(screen);
    // A French parent's phone: French locale, Paris time (as every browser test of Lien).
    const newPhoneContext = (javaScriptEnabled = true) =>
      browser.newContext({
        ...device,
        javaScriptEnabled,
        bypassCSP: true,
        locale: 'fr-FR',
        timezoneId: 'Europe/Paris',
      });
    return { baseUrl, browser, device, newPhoneContext };
  });
}

/** For `afterAll`: closes what `startBrowserSpec` opened. */
export async function stopBrowserSpec(spec: Partial<BrowserSpec>): Promise<void> {
  await spec.browser?.close();
  await stopTestApi(spec);
}
