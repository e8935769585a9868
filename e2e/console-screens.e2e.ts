import type { Page } from 'playwright-core';
import { axeViolations, screenshot } from './support/browser.js';
import { signedIn, useStackAndBrowser } from './support/console.js';

// Each role's main pages as people see them, in French, on a desktop (1280 px) and a phone (390 px): no page
// scrolls sideways, axe-core finds nothing at WCAG 2.1 AA, and a screenshot of each is kept under
// test-artifacts/e2e/ with a stable name (`screen-<role>-<page>-<width>.png`) for review. One sign-in per role;
// the same page is measured at both widths.
const WIDTHS = [1280, 390] as const;

interface RoleTour {
  role: string;
  email: string;
  /** Page name (in the screenshot's file name) → path. */
  pages: Record<string, string>;
}

const TOURS: readonly RoleTour[] = [
  {
    role: 'professional',
    email: 'infirmiere.62@lien.demo',
    pages: { alerts: '/alerts', parents: '/parents', enrol: '/parents/new' },
  },
  {
    role: 'org-admin',
    email: 'admin.62@lien.demo',
    pages: { users: '/admin/users', settings: '/admin/settings', audit: '/admin/audit', reports: '/reports' },
  },
  { role: 'coordinator', email: 'coordination.hdf@lien.demo', pages: { reports: '/reports' } },
  {
    role: 'platform-admin',
    email: 'plateforme@lien.demo',
    // The audit log is the org admin's page above; the platform's own pages here.
    pages: { organisations: '/admin/organisations', users: '/admin/users' },
  },
];

/** Pages whose sections come with their data: judged once these are shown (not only once nothing is loading). */
const READY: Readonly<Record<string, readonly string[]>> = {
  '/reports': ['report-tiles', 'report-cascade-section', 'report-self-screening-section'],
};

const world = useStackAndBrowser();

/** The page has its heading and nothing is loading any more (no progress bar), fonts included. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('main h1') !== null &&
      document.querySelector('main mat-progress-bar, main mat-spinner, main [role="progressbar"]') === null,
    undefined,
    { timeout: 15_000 },
  );
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/** How far the page scrolls sideways, and the innermost elements that stick out (to say what to fix). */
const horizontalOverflow = (page: Page): Promise<{ overflow: number; culprits: string[] }> =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const name = (element: Element): string =>
      `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${[...element.classList]
        .slice(0, 2)
        .map((each) => `.${each}`)
        .join('')}`;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > width + 1)
      .filter(
        (element) => ![...element.children].some((child) => child.getBoundingClientRect().right > width + 1),
      )
      .slice(0, 5)
      .map(
        (element) => `${element.parentElement ? name(element.parentElement) + ' > ' : ''}${name(element)}`,
      );
    return { overflow: document.documentElement.scrollWidth - width, culprits };
  });

describe.each(TOURS)('$role', ({ role, email, pages }) => {
  it(`shows ${Object.keys(pages).join(', ')} at ${WIDTHS.join(' and ')} px without sideways scroll or axe violations`, async () => {
    const page = await signedIn(world, email, { width: WIDTHS[0] });
    const problems: { screen: string; overflow: number; culprits: string[]; violations: string[] }[] = [];
    try {
      for (const [name, path] of Object.entries(pages)) {
        for (const width of WIDTHS) {
          // Loaded at that width, as a phone or a desktop would (not a desktop page narrowed afterwards).
          await page.setViewportSize({ width, height: 900 });
          await page.goto(`${world.stack.baseUrl}${path}`);
          expect(new URL(page.url()).pathname).toBe(path);
          await settled(page);
          for (const testId of READY[path] ?? []) await page.getByTestId(testId).waitFor();
          const screen = `screen-${role}-${name}-${width}`;
          await screenshot(page, screen);
          const { overflow, culprits } = await horizontalOverflow(page);
          const violations = (await axeViolations(page)).map(
            (violation) =>
              `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
          );
          if (overflow > 0 || violations.length > 0)
            problems.push({ screen, overflow, culprits: overflow > 0 ? culprits : [], violations });
        }
      }
    } finally {
      await page.context().close();
    }
    // Every screen is checked (and kept) before the verdict, so that one report names them all.
    expect(problems).toEqual([]);
  });
});
