import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { startTestApi, stopTestApi, type TestApi } from './api-spec.js';

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

/** A browser spec's API, the URL Chromium reaches it at, and Chromium. */
export interface BrowserSpec extends TestApi {
  baseUrl: string;
  browser: Browser;
}

/** For `beforeAll`: the `artifacts` folder for screenshots, `startTestApi` and Chromium. */
export async function startBrowserSpec(artifacts: string): Promise<BrowserSpec> {
  mkdirSync(artifacts, { recursive: true });
  const spec = await startTestApi();
  try {
    const baseUrl = (await spec.api.getUrl()).replace('[::1]', '127.0.0.1');
    return { ...spec, baseUrl, browser: await launchChromium() };
  } catch (error) {
    await stopTestApi(spec);
    throw error;
  }
}

/** For `afterAll`: closes what `startBrowserSpec` opened. */
export async function stopBrowserSpec(spec: Partial<BrowserSpec>): Promise<void> {
  await spec.browser?.close();
  await stopTestApi(spec);
}

/** A phone's screen (touch, one device pixel per CSS pixel), as context options. */
export const phoneDevice = (width: number, height: number) =>
  ({ viewport: { width, height }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 }) as const;

/** A French context on `device`; `bypassCSP` only lets axe be injected. */
export function phoneContext(
  browser: Browser,
  device: ReturnType<typeof phoneDevice>,
  javaScriptEnabled = true,
): Promise<BrowserContext> {
  return browser.newContext({ ...device, javaScriptEnabled, bypassCSP: true, locale: 'fr-FR' });
}
