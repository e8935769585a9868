import type { Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { axeViolations, screenshot } from './support/browser.js';
import {
  fillBirthDate,
  fillEnrolmentParent,
  newConsolePage,
  signIn,
  useStackAndBrowser,
} from './support/console.js';

// The whole promise of Lien, in a real browser against real processes (API, worker, console) on real
// PostgreSQL and Redis, with the built-in SMS outbox: a professional enrols a parent, the SMS goes out, the
// parent answers on a phone, the urgent alert arrives live, and the professional follows it to closure.
const world = useStackAndBrowser();

/** Every page of the journey must pass axe at WCAG 2.1 AA, and is kept as a screenshot. */
async function checkPage(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await screenshot(page, name);
  const violations = await axeViolations(page);
  expect({ page: name, violations }).toEqual({ page: name, violations: [] });
}

describe('the follow-up journey', () => {
  let professional: Page;
  let questionnaireUrl: string;

  it('signs a professional in and shows the alerts dashboard', async () => {
    professional = await newConsolePage(world.browser);
    await professional.goto(`${world.stack.baseUrl}/`);
    await professional.waitForURL(/\/sign-in/);
    await checkPage(professional, '01-sign-in');
    await signIn(professional, world.stack.baseUrl, 'infirmiere.62@lien.demo');
    await professional.waitForURL(/\/alerts/);
    await professional
      .getByTestId('alerts-table')
      .or(professional.getByTestId('alerts-empty'))
      .first()
      .waitFor();
    await checkPage(professional, '02-alerts-dashboard');
  });

  it('enrols a parent born eight days ago', async () => {
    await professional.goto(`${world.stack.baseUrl}/parents/new`);
    await professional.getByTestId('enrol-form').waitFor();
    await checkPage(professional, '03-enrol-form');
    await fillEnrolmentParent(professional, 'enrol', {
      firstName: 'Inès',
      lastName: 'Journey',
      phone: '06 12 34 99 77',
      role: 'mother',
    });
    const birthDate = DateTime.now().setZone('Europe/Paris').minus({ days: 8 }).toISODate()!;
    await fillBirthDate(professional, birthDate);
    await professional.getByTestId('enrol-consent').locator('input').check();
    await professional.getByTestId('enrol-submit').click();
    await professional.waitForURL(/\/parents\/[0-9a-f-]{36}/);
    await professional.getByTestId('parent-title').waitFor();
    await checkPage(professional, '04-parent-page');
  });

  it('shows the day-7 SMS in the built-in outbox, with its link', async () => {
    await professional.goto(`${world.stack.baseUrl}/outbox`);
    const message = professional.getByTestId('outbox-sms').filter({ hasText: '77' }).first();
    for (let attempt = 0; attempt < 40 && !(await message.isVisible()); attempt += 1) {
      await professional.waitForTimeout(500);
      await professional.getByTestId('outbox-refresh').click();
    }
    await expect(message.isVisible()).resolves.toBe(true);
    const text = await message.innerText();
    expect(text).not.toMatch(/EPDS|dépression|PMI|bébé|score/i);
    questionnaireUrl = (await message.getByTestId('outbox-sms-link').getAttribute('href'))!;
    expect(questionnaireUrl).toMatch(new RegExp(`^${world.stack.baseUrl}/q/[A-Za-z0-9_-]{22,}$`));
    await checkPage(professional, '05-outbox');
  });

  it('lets the parent answer on a phone; a positive item 10 gives emergency resources first', async () => {
    await professional.goto(`${world.stack.baseUrl}/alerts`);
    await professional.getByTestId('stream-state').waitFor();
    const before = await professional.getByTestId('alert-row').count();

    const parent = await newConsolePage(world.browser, { width: 390, height: 844 });
    await parent.goto(questionnaireUrl);
    await checkPage(parent, '06-questionnaire');
    // Items 1, 2 and 4 score 0 on their first option, the others on their last; item 10 "Presque jamais" (1 point).
    const answers = [0, 0, 3, 0, 3, 3, 3, 3, 3, 2];
    for (const [index, option] of answers.entries()) {
      await parent.locator(`input[name="q${index + 1}"][value="${option}"]`).check();
    }
    await parent.locator('form button[type="submit"]').click();
    await parent.waitForLoadState('domcontentloaded');
    const result = await parent.locator('main').innerText();
    expect(result).toContain('3114');
    expect(result.indexOf('3114')).toBeLessThan(result.indexOf('Maman Blues'));
    expect(result).not.toMatch(/\b1\s*\/\s*30\b/);
    await checkPage(parent, '07-result-urgent');

    // The urgent alert reaches the open dashboard live, without a reload.
    await professional.getByTestId('alert-row').nth(before).waitFor({ timeout: 20_000 });
    await expect(professional.getByTestId('alerts-live-region').innerText()).resolves.not.toBe('');
    await checkPage(professional, '08-alert-arrived');
  });

  it('follows the alert: acknowledge, contact, referral, in care, close with outcome', async () => {
    await professional
      .getByTestId('alert-row')
      .filter({ hasText: /urgent/i })
      .first()
      .getByTestId('alert-link')
      .click();
    await professional.getByTestId('alert-title').waitFor();
    await checkPage(professional, '09-alert-detail');
    await professional.getByTestId('reveal-identity').click();
    await expect(professional.getByTestId('parent-identity').innerText()).resolves.toContain('Journey');

    // Each step is a click (and a form for some); the alert's status attribute says when the API has taken it.
    const act = async (step: string, expectedStatus: string, fill?: (page: Page) => Promise<void>) => {
      await professional.getByTestId(`action-${step}`).click();
      if (fill) {
        await professional.getByTestId('event-form').waitFor();
        await fill(professional);
        await professional.getByTestId('event-submit').click();
        await professional.getByTestId('event-form').waitFor({ state: 'detached' });
      }
      await professional.locator(`[data-testid="alert-status"][data-status="${expectedStatus}"]`).waitFor();
    };
    const choose = async (page: Page, select: string) => {
      await page.getByTestId(select).click();
      await page.locator('mat-option').first().click();
    };

    await act('acknowledge', 'acknowledged');
    await act('contact_attempt', 'contacted', async (page) => {
      await page.getByTestId('event-contact-outcome-reached').click();
      await choose(page, 'event-channel');
      await page.getByTestId('event-note').fill('Appel : la maman accepte un rendez-vous.');
    });
    await checkPage(professional, '10-alert-contacted');
    // Item 10 was positive: the referral step offers the emergency routes first.
    await act('referral', 'referred', async (page) => {
      await page.getByTestId('event-emergency-first').waitFor();
      await page.getByTestId('event-emergency-sector_psychiatry').click();
    });
    await act('in_care', 'in_care');
    await act('close', 'closed', (page) => choose(page, 'event-close-outcome'));
    expect(await professional.getByTestId('alert-event').count()).toBeGreaterThanOrEqual(5);
    await checkPage(professional, '11-alert-closed');
  });

  it('keeps a coordinator away from named parents, on the reports page', async () => {
    const coordinator = await newConsolePage(world.browser);
    await signIn(coordinator, world.stack.baseUrl, 'coordination.hdf@lien.demo');
    await coordinator.waitForURL(/\/reports/);
    await coordinator.getByTestId('report-tiles').waitFor();
    await checkPage(coordinator, '12-reports');
    await coordinator.goto(`${world.stack.baseUrl}/parents`);
    await coordinator.waitForURL(/\/reports/);
    expect(await coordinator.getByTestId('parents-table').count()).toBe(0);
    const response = await coordinator.request.get(`${world.stack.baseUrl}/api/parents`, {
      headers: {
        authorization: `Bearer ${await coordinator.evaluate(() => (JSON.parse(sessionStorage.getItem('lien.session') ?? '{}') as { accessToken?: string }).accessToken ?? '')}`,
      },
    });
    // A valid coordinator session, refused by permission: 403, not 401.
    expect(response.status()).toBe(403);
  });
});
