import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

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
