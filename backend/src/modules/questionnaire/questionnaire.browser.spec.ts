import path from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { makeOrganisation } from '../../testing/factories.js';
import { answersWorth, makeLinkedInvitation } from '../../testing/questionnaire-factories.js';
import { axeViolations, startBrowserSpec, stopBrowserSpec, type BrowserSpec } from '../../testing/browser.js';
import { InvitationEntity } from '../invitations/invitation.entity.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import type { ParentEntity } from '../parents/parent.entity.js';
import { ResponseEntity } from './response.entity.js';

jest.setTimeout(120_000);

/**
 * The page in a real headless Chromium on a phone-sized screen: filled and sent with JavaScript on and off, and
 * checked by axe-core (WCAG 2.0/2.1 A and AA) on every page a parent can reach. Screenshots land in
 * test-artifacts/questionnaire/ for a human look.
 */

const ARTIFACTS = path.join(process.cwd(), 'test-artifacts', 'questionnaire');

const LOW = answersWorth([0, 1, 0, 0, 0, 1, 0, 1, 0, 0]);
const HIGH = answersWorth([2, 2, 2, 2, 1, 2, 2, 2, 1, 0]);
const ITEM10 = answersWorth([1, 1, 0, 0, 0, 1, 1, 1, 0, 1]);

describe('questionnaire in a real browser (Chromium, axe-core)', () => {
  let { environment, api: app, dataSource, browser, baseUrl, device, newPhoneContext } = {} as BrowserSpec;
  let organisation: OrganisationEntity;
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    ({
      environment,
      api: app,
      dataSource,
      browser,
      baseUrl,
      device,
      newPhoneContext,
    } = await startBrowserSpec(ARTIFACTS, {
      width: 390,
      height: 844,
    }));
    organisation = await makeOrganisation(dataSource, {
      name: 'PMI de Lens',
      settings: {
        contactPhone: '03 21 00 00 00',
        localResources: [
          {
            name: 'CMP périnatal de Lens',
            phone: '03 21 11 11 11',
            description: 'Consultations sans avance de frais.',
          },
        ],
      },
    });
  });
  afterAll(() => stopBrowserSpec({ environment, api: app, browser }));

  /** A phone-sized context that records any request leaving our origin. `bypassCSP` only lets axe be injected. */
  async function phone(javaScriptEnabled = true): Promise<BrowserContext> {
    const context = await newPhoneContext(javaScriptEnabled);
    context.on('request', (request) => {
      if (!request.url().startsWith(baseUrl)) foreignRequests.push(request.url());
    });
    return context;
  }

  /** A new invitation (its parent with `parentOverrides`) whose link is opened on a phone, answered 200. */
  async function openNewInvitation(javaScriptEnabled: boolean, parentOverrides: Partial<ParentEntity> = {}) {
    const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation, { parentOverrides });
    const context = await phone(javaScriptEnabled);
    const page = await context.newPage();
    expect((await page.goto(`${baseUrl}/q/${tokens[0]}`))?.status()).toBe(200);
    return { invitation, tokens, context, page };
  }

  const focusedId = (page: Page): Promise<string | null> =>
    page.evaluate('document.activeElement ? document.activeElement.id : null');

  async function expectAccessible(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    // What the phone shows first, at 2x for a human look.
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.screen.png`) });
    expect(await axeViolations(page)).toEqual([]);
  }

  /** Taps the label of each chosen option, as a thumb would. */
  async function answer(page: Page, answers: readonly (number | undefined)[]): Promise<void> {
    for (const [index, option] of answers.entries()) {
      if (option !== undefined) await page.locator(`label:has(#q${index + 1}-${option})`).tap();
    }
  }

  async function submitAndWait(page: Page): Promise<number> {
    const [response] = await Promise.all([
      page.waitForNavigation(),
      page.locator('form#f button[type=submit]').tap(),
    ]);
    return response?.status() ?? 0;
  }

  const storedResponse = (invitationId: string) =>
    dataSource.getRepository(ResponseEntity).findOneBy({ invitationId });

  it('with JavaScript on: accessible page, large targets, visible focus; errors then a result', async () => {
    const { invitation, tokens, context, page } = await openNewInvitation(true);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await expectAccessible(page, 'question-page');

    // Every answer row and the button are at least 44 px high, and nothing overflows the phone's width.
    const targets = await page.locator('label.o, form#f button').all();
    const heights = await Promise.all(
      targets.map(async (target) => (await target.boundingBox())?.height ?? 0),
    );
    expect(heights).toHaveLength(41);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(44);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    // Keyboard: the skip link, then a radio whose row shows a focus outline.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.className')).toBe('skip');
    await page.focus('#q1-0');
    await page.keyboard.press('ArrowDown');
    expect(await focusedId(page)).toBe('q1-1');
    const outline = await page.evaluate<string>(`(() => {
      const style = getComputedStyle(document.activeElement.closest('label'));
      return style.outlineStyle + ' ' + style.outlineWidth;
    })()`);
    expect(outline).toBe('solid 3px');

    // Missing answers: the form comes back with them marked, the error summary focused, the others kept.
    const partial: (number | undefined)[] = [...HIGH];
    partial[1] = undefined;
    partial[9] = undefined;
    await page.goto(`${baseUrl}/q/${tokens[0]}`);
    await answer(page, partial);
    expect(await submitAndWait(page)).toBe(400);
    expect(await focusedId(page)).toBe('errors');
    expect(await page.locator('#errors a').allTextContents()).toEqual([
      'Question 2 sur 10',
      'Question 10 sur 10',
    ]);
    expect(await page.locator('input:checked').count()).toBe(8);
    await expectAccessible(page, 'question-errors');
    await page.locator('#errors a').first().tap();
    expect(await focusedId(page)).toBe('q2-0');
    expect(await storedResponse(invitation.id)).toBeNull();

    await answer(page, [
      undefined,
      HIGH[1],
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      HIGH[9],
    ]);
    expect(await submitAndWait(page)).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Merci de nous avoir confié ce que vous vivez');
    expect(await page.locator('a[href^="tel:"]').count()).toBeGreaterThanOrEqual(5);
    await expectAccessible(page, 'result-high');

    const stored = await storedResponse(invitation.id);
    expect(stored).toMatchObject({ answers: HIGH, channel: 'web_form', band: 'high' });
    expect(
      (await dataSource.getRepository(InvitationEntity).findOneByOrFail({ id: invitation.id })).status,
    ).toBe('completed');

    // The link again: the first answers stay, the page says so kindly.
    await page.goto(`${baseUrl}/q/${tokens[0]}`);
    expect(await page.locator('h1').textContent()).toBe('Vous avez déjà répondu. Merci !');
    await expectAccessible(page, 'already-answered');
    await context.close();
  });

  it('with JavaScript off: the form still works end to end', async () => {
    const { invitation, context, page } = await openNewInvitation(false, { language: 'en' });
    expect(await page.locator('html').getAttribute('lang')).toBe('en');

    // The language switch is a plain link.
    await Promise.all([page.waitForNavigation(), page.locator('nav a[hreflang=fr]').tap()]);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await Promise.all([page.waitForNavigation(), page.locator('nav a[hreflang=en]').tap()]);

    await answer(page, LOW.slice(0, 9));
    expect(await submitAndWait(page)).toBe(400);
    expect(await page.locator('fieldset#q10 .em').textContent()).toBe('Please answer this question.');
    expect(await page.locator('input:checked').count()).toBe(9);
    await answer(page, [...new Array<undefined>(9), LOW[9]]);
    expect(await submitAndWait(page)).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Thank you for your answers');
    await page.screenshot({ path: path.join(ARTIFACTS, 'result-low-nojs.png'), fullPage: true });
    expect(await storedResponse(invitation.id)).toMatchObject({ answers: LOW, language: 'en', band: 'low' });

    // Opt-out without JavaScript: a link, a confirmation form, a confirmation page.
    await Promise.all([page.waitForNavigation(), page.locator('a[href*="/opt-out"]').tap()]);
    await Promise.all([page.waitForNavigation(), page.locator('form button').tap()]);
    expect(await page.locator('h1').textContent()).toBe('Your request has been recorded');
    await context.close();
  });

  it("a father's page in the masculine; the wording switch works without JavaScript; accessible at 390 and 1280 px", async () => {
    const { invitation, context, page } = await openNewInvitation(false, { role: 'father' });
    const legends = async (): Promise<string> => (await page.locator('legend').allTextContents()).join('\n');
    expect(await legends()).toContain('Je me suis senti confiant et joyeux');
    expect(await legends()).not.toContain('sentie');
    expect(await page.locator('main').textContent()).toContain('en cochant la réponse');

    // The switch: plain links, the current one marked for screen readers.
    expect(await page.locator('nav.wd a[aria-current=true]').textContent()).toBe('Au masculin');
    await Promise.all([page.waitForNavigation(), page.locator('nav.wd a', { hasText: 'Neutre' }).tap()]);
    expect(await legends()).toContain('malheureux ou malheureuse');
    expect(await legends()).not.toMatch(/sentie|·/);

    // Answers sent in the chosen wording score as ever.
    await answer(page, HIGH);
    expect(await submitAndWait(page)).toBe(200);
    expect(await storedResponse(invitation.id)).toMatchObject({
      answers: HIGH,
      parentRole: 'father',
      instrumentVersion: '1.0',
    });
    await context.close();

    // axe needs JavaScript: the same pages checked in a context that has it, at 390 px then 1280 px.
    const other = await makeLinkedInvitation(dataSource, organisation, {
      parentOverrides: { role: 'father' },
    });
    const withJs = await phone(true);
    const checked = await withJs.newPage();
    await checked.goto(`${baseUrl}/q/${other.tokens[0]}`);
    await expectAccessible(checked, 'father-390');
    await checked.goto(`${baseUrl}/q/${other.tokens[0]}?lang=fr&v=inclusive`);
    await expectAccessible(checked, 'co-parent-wording-390');
    await withJs.close();
    const desktop = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      bypassCSP: true,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    const wide = await desktop.newPage();
    await wide.goto(`${baseUrl}/q/${other.tokens[0]}`);
    await expectAccessible(wide, 'father-1280');
    await wide.goto(`${baseUrl}/q/${other.tokens[0]}/privacy`);
    await expectAccessible(wide, 'privacy-1280');
    await wide.goto(`${baseUrl}/q/${other.tokens[0]}/opt-out`);
    await expectAccessible(wide, 'opt-out-confirm-1280');
    await desktop.close();
  });

  it('has no accessibility violation on the result pages (low, moderate, item 10) and the other pages', async () => {
    const context = await phone(true);
    const page = await context.newPage();

    const low = await makeLinkedInvitation(dataSource, organisation);
    await page.goto(`${baseUrl}/q/${low.tokens[0]}`);
    await answer(page, LOW);
    expect(await submitAndWait(page)).toBe(200);
    await expectAccessible(page, 'result-low');

    const moderate = await makeLinkedInvitation(dataSource, organisation, {
      parentOverrides: { role: 'father' },
    });
    await page.goto(`${baseUrl}/q/${moderate.tokens[0]}`);
    await answer(page, answersWorth([1, 1, 1, 1, 1, 1, 1, 1, 2, 0])); // 10: moderate for a father
    expect(await submitAndWait(page)).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Merci pour vos réponses');
    expect(await page.locator('main > p').first().textContent()).toContain('prendra contact avec vous');
    await expectAccessible(page, 'result-moderate');

    const urgent = await makeLinkedInvitation(dataSource, organisation);
    await page.goto(`${baseUrl}/q/${urgent.tokens[0]}`);
    await answer(page, ITEM10);
    expect(await submitAndWait(page)).toBe(200);
    expect(await page.locator('main > p').first().textContent()).toContain('va vous appeler très bientôt');
    expect(await page.locator('a[href^="tel:"]').first().getAttribute('href')).toBe('tel:3114');
    await expectAccessible(page, 'result-item10');

    await page.goto(`${baseUrl}/q/${urgent.tokens[0]}/opt-out`);
    await expectAccessible(page, 'opt-out-confirm');
    // A way back from the opt-out page (the questions are answered: back to what the link shows).
    expect(await page.locator('main a', { hasText: 'Retour' }).getAttribute('href')).toBe(
      `/q/${urgent.tokens[0]}?lang=fr`,
    );
    // The privacy notice and the accessibility statement, from the footer.
    await Promise.all([page.waitForNavigation(), page.locator('footer a[href*="/privacy"]').tap()]);
    expect(await page.locator('h1').textContent()).toBe('Vos données personnelles');
    await expectAccessible(page, 'privacy-390');
    await page.goto(`${baseUrl}/q/${urgent.tokens[0]}/accessibility`);
    expect(await page.locator('h1').textContent()).toBe('Accessibilité');
    await expectAccessible(page, 'accessibility-390');
    await page.goto(`${baseUrl}/q/${urgent.tokens[0]}/opt-out`);
    await Promise.all([page.waitForNavigation(), page.locator('form button').tap()]);
    await expectAccessible(page, 'opt-out-done');

    const past = new Date(environment.clock.now().getTime() - 10 * 24 * 3600 * 1000);
    const expired = await makeLinkedInvitation(dataSource, organisation, {
      invitation: { sentAt: past, dueAt: past },
    });
    expect((await page.goto(`${baseUrl}/q/${expired.tokens[0]}`))?.status()).toBe(410);
    expect(await page.locator('main').textContent()).toContain('PMI de Lens');
    await expectAccessible(page, 'expired');

    expect((await page.goto(`${baseUrl}/q/${'Z'.repeat(32)}?lang=en`))?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Link not recognised');
    await expectAccessible(page, 'unknown');

    await page.goto(`${baseUrl}/q/${low.tokens[0]}?lang=en`);
    await expectAccessible(page, 'already-answered-en');
    await context.close();
  });

  it("applies its own style and script under the page's Content-Security-Policy (no bypass)", async () => {
    const { tokens } = await makeLinkedInvitation(dataSource, organisation);
    const context = await browser.newContext({ ...device, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    const page = await context.newPage();
    const refusals: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refusals.push(message.text());
    });
    await page.goto(`${baseUrl}/q/${tokens[0]}`);
    // The stylesheet applied: answer rows are 48 px high, the system font is used.
    expect((await page.locator('label.o').first().boundingBox())?.height).toBeGreaterThanOrEqual(44);
    expect(await page.evaluate<string>('getComputedStyle(document.body).fontFamily')).toContain('system-ui');
    // The script ran: it disables the button on submit. A listener added after it keeps the page from leaving.
    await answer(page, LOW);
    await page.evaluate(
      "document.getElementById('f').addEventListener('submit', function (event) { event.preventDefault(); })",
    );
    await page.locator('form#f button').tap();
    let disabled = false;
    for (let attempt = 0; attempt < 100 && !disabled; attempt += 1) {
      disabled = await page.evaluate<boolean>("document.querySelector('form#f button').disabled");
      if (!disabled) await page.waitForTimeout(20);
    }
    expect(disabled).toBe(true);
    expect(refusals).toEqual([]);
    await context.close();
  });

  it('made no request to any other origin', () => {
    expect(foreignRequests).toEqual([]);
  });
});
