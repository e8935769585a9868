import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type BrowserContext, type Frame, type Page } from 'playwright-core';
import { getScreeningText } from '@lien/shared';
import { makeOrganisation, makeUser, signIn } from '../../testing/factories.js';
import { axeViolations, startBrowserSpec, stopBrowserSpec, type BrowserSpec } from '../../testing/browser.js';
import { answersWorth } from '../../testing/questionnaire-factories.js';
import { AlertEntity } from '../alerts/alert.entity.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ContactRequestEntity } from './contact-request.entity.js';
import { CONTACT_MIN_SECONDS, SCREENING_MIN_SECONDS } from './screening.service.js';

jest.setTimeout(180_000);

/**
 * The public self-screening page in a real headless Chromium, 360 px wide: answered with item 10 positive, with
 * JavaScript on and off, then "be contacted"; and the widget framed by a host page of another origin (auto
 * height, no console error). axe-core (WCAG 2.0/2.1 A and AA) on every state. Screenshots in
 * test-artifacts/screening/.
 */

const ARTIFACTS = path.join(process.cwd(), 'test-artifacts', 'screening');
const TEXT = getScreeningText('fr');

// 11 points for a mother: moderate band, item 10 positive.
const ITEM10 = answersWorth([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);

describe('self-screening in a real browser (Chromium, axe-core, 360 px)', () => {
  let { environment, api: app, dataSource, browser, baseUrl, newPhoneContext } = {} as BrowserSpec;
  let organisation: OrganisationEntity;
  let host: Server | undefined;

  beforeAll(async () => {
    ({
      environment,
      api: app,
      dataSource,
      browser,
      baseUrl,
      newPhoneContext,
    } = await startBrowserSpec(ARTIFACTS, { width: 360, height: 740 }));
    organisation = await makeOrganisation(dataSource, {
      name: 'PMI du Pas-de-Calais',
      settings: { servedPostalCodes: ['62100'] },
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (host ? host.close(() => resolve()) : resolve()));
    await stopBrowserSpec({ environment, api: app, browser });
  });

  /** A 360-px phone. `bypassCSP` only lets axe be injected. */
  function smallPhone(javaScriptEnabled = true): Promise<BrowserContext> {
    return newPhoneContext(javaScriptEnabled);
  }

  /**
   * Screenshot, nothing wider than the 360-px screen, zero axe violations. Without JavaScript axe cannot run in
   * the page: the same HTML is checked in a JavaScript-enabled page of the same size.
   */
  async function expectAccessible(page: Page, name: string, frame?: Frame, javaScript = true): Promise<void> {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    const target = frame ?? page;
    if (javaScript) {
      expect(await target.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
      expect(await axeViolations(target)).toEqual([]);
      return;
    }
    const html = await page.content();
    const checker = await smallPhone(true);
    const copy = await checker.newPage();
    await copy.setContent(html);
    expect(await copy.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    expect(await axeViolations(copy)).toEqual([]);
    await checker.close();
  }

  /** The "about you" fields and the ten answers, as a thumb would. */
  async function fillScreening(target: Page | Frame, answers: readonly number[]): Promise<void> {
    await target.locator('input[name="role"][value="mother"]').check();
    await target.locator('input[name="age"]').fill('3');
    await target.locator('input[name="cp"]').first().fill('62100');
    for (const [index, option] of answers.entries())
      await target.locator(`input[name="q${index + 1}"][value="${option}"]`).check();
  }

  async function fillContact(target: Page | Frame): Promise<void> {
    await target.locator('input[name="first_name"]').fill('Camille');
    await target.locator('input[name="phone"]').fill('06 12 34 56 78');
    await target.locator('input[name="channel"][value="call"]').check();
    await target.locator('input[name="slots"][value="morning"]').check();
    await target.locator('input[name="consent"]').check();
  }

  /** Emergency resources (class "u") are listed before every other resource, and there is at least one. */
  async function expectEmergencyFirst(target: Page | Frame): Promise<void> {
    // A string runs in the page as is (the backend's TypeScript has no DOM types).
    const kinds = await target.evaluate<string[]>(
      `[...document.querySelectorAll('li:has(h3)')].map((item) => (item.classList.contains('u') ? 'emergency' : 'other'))`,
    );
    expect(kinds[0]).toBe('emergency');
    const firstOther = kinds.indexOf('other');
    if (firstOther >= 0) expect(kinds.slice(firstOther)).not.toContain('emergency');
  }

  const submit = (target: Page | Frame, form: string): Promise<unknown> =>
    target.locator(`${form} button[type="submit"]`).click();

  const latestRequest = () =>
    dataSource.getRepository(ContactRequestEntity).find({ order: { createdAt: 'DESC' }, take: 1 });

  async function sendsRequest(before: number): Promise<ContactRequestEntity> {
    const all = await dataSource.getRepository(ContactRequestEntity).count();
    expect(all).toBe(before + 1);
    const [request] = await latestRequest();
    return request!;
  }

  for (const javaScript of [true, false]) {
    const mode = javaScript ? 'js' : 'nojs';
    it(`with JavaScript ${javaScript ? 'on' : 'off'}: item 10 positive shows emergency resources first, then a contact request reaches the team`, async () => {
      const before = await dataSource.getRepository(ContactRequestEntity).count();
      const context = await smallPhone(javaScript);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        // Chromium asks every top-level origin for /favicon.ico on its own; the pages have none (not theirs).
        if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
          errors.push(`${message.text()} (${message.location().url})`);
      });
      page.on('pageerror', (error) => errors.push(error.message));

      expect((await page.goto(`${baseUrl}/depistage`))?.status()).toBe(200);
      expect(await page.locator('html').getAttribute('lang')).toBe('fr');
      await expectAccessible(page, `${mode}-form`, undefined, javaScript);

      // Sent with nothing (after the time floor): the form comes back naming what is missing, still accessible.
      environment.clock.advance((SCREENING_MIN_SECONDS + 40) * 1000);
      await Promise.all([page.waitForNavigation(), submit(page, 'form#f')]);
      expect(await page.locator('#errors').count()).toBe(1);
      await expectAccessible(page, `${mode}-form-errors`, undefined, javaScript);
      // That 400 is logged by Chromium ("Failed to load resource"): expected, and the only one allowed.
      expect(
        errors.filter((text) => !text.includes('status of 400 (Bad Request) (' + baseUrl + '/depistage)')),
      ).toEqual([]);
      errors.length = 0;

      await fillScreening(page, ITEM10);
      environment.clock.advance((SCREENING_MIN_SECONDS + 40) * 1000);
      const [result] = await Promise.all([page.waitForNavigation(), submit(page, 'form#f')]);
      expect(result?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe(TEXT.results.item10Positive.title);
      await expectEmergencyFirst(page);
      // The resources come before the "be contacted" form.
      const order = await page.evaluate<boolean>(
        `(() => { const list = document.querySelector('li.u'); const form = document.querySelector('form[action="/depistage/contact"]'); return !!list && !!form && !!(list.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING); })()`,
      );
      expect(order).toBe(true);
      await expectAccessible(page, `${mode}-result-item10`, undefined, javaScript);

      await fillContact(page);
      environment.clock.advance((CONTACT_MIN_SECONDS + 15) * 1000);
      const [done] = await Promise.all([
        page.waitForNavigation(),
        submit(page, 'form[action="/depistage/contact"]'),
      ]);
      expect(done?.status()).toBe(200);
      expect(await page.locator('h1').textContent()).toBe(TEXT.contactDoneTitle);
      expect(await page.locator('body').textContent()).toContain('PMI du Pas-de-Calais');
      await expectAccessible(page, `${mode}-contact-done`, undefined, javaScript);

      const request = await sendsRequest(before);
      expect(request).toMatchObject({
        organisationId: organisation.id,
        routing: 'postal_code',
        item10Positive: true,
        channel: 'call',
        timeSlots: ['morning'],
      });
      const alert = await dataSource.getRepository(AlertEntity).findOneBy({ contactRequestId: request.id });
      expect(alert).toMatchObject({ organisationId: organisation.id, parentId: null });
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('the widget framed by a host page of another origin: auto height, no console error, accessible, then a request', async () => {
    const before = await dataSource.getRepository(ContactRequestEntity).count();
    const admin = await makeUser(dataSource, { organisationId: organisation.id, role: 'org_admin' });
    const token = await signIn(dataSource, environment.config, admin);
    const auth = { Authorization: `Bearer ${token}` };
    const created = await fetch(`${baseUrl}/api/screening-sources`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Site partenaire', code: 'site-partenaire' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const widget = (await (
      await fetch(`${baseUrl}/api/screening-sources/${id}/widget`, { headers: auth })
    ).json()) as {
      url: string;
      snippet: string;
    };
    // The snippet names the configured public origin; here Lien answers on the test server's.
    const snippet = widget.snippet.replaceAll(new URL(widget.url).origin, baseUrl);

    host = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Site partenaire</title></head>
<body style="margin:0"><main><h1>Site partenaire</h1><p>Un questionnaire pour faire le point.</p>${snippet}</main></body></html>`);
    });
    await new Promise<void>((resolve) => host!.listen(0, '127.0.0.1', resolve));
    const hostUrl = `http://localhost:${(host.address() as AddressInfo).port}/`;
    expect(new URL(hostUrl).origin).not.toBe(new URL(baseUrl).origin);

    const context = await smallPhone(true);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(hostUrl);
    const frameElement = page.locator('iframe#lien-depistage-site-partenaire');
    await frameElement.scrollIntoViewIfNeeded();
    const frame = (await (await frameElement.elementHandle()).contentFrame())!;
    await frame.waitForSelector('form#f');

    /** The iframe's height follows its page's (the snippet sets it from the page's messages). */
    async function expectAutoHeight(): Promise<number> {
      // Polled from here: the host page itself cannot read the cross-origin frame.
      let inner = 0;
      let outer = Number.NEGATIVE_INFINITY;
      for (let attempt = 0; attempt < 50 && Math.abs(outer - inner) > 2; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        // The content's height, not scrollHeight: that one never drops below the frame's own height.
        inner = await frame.evaluate<number>(
          'Math.ceil(document.documentElement.getBoundingClientRect().height)',
        );
        outer = (await frameElement.boundingBox())!.height;
      }
      expect(Math.abs(outer - inner)).toBeLessThanOrEqual(2);
      return outer;
    }
    const formHeight = await expectAutoHeight();
    expect(formHeight).toBeGreaterThan(600);
    await expectAccessible(page, 'widget-form', frame);
    expect(await axeViolations(page)).toEqual([]);

    await fillScreening(frame, ITEM10);
    environment.clock.advance((SCREENING_MIN_SECONDS + 40) * 1000);
    await Promise.all([frame.waitForNavigation(), submit(frame, 'form#f')]);
    expect(await frame.locator('h1').textContent()).toBe(TEXT.results.item10Positive.title);
    await expectEmergencyFirst(frame);
    const resultHeight = await expectAutoHeight();
    expect(resultHeight).not.toBe(formHeight);
    await expectAccessible(page, 'widget-result-item10', frame);

    await fillContact(frame);
    environment.clock.advance((CONTACT_MIN_SECONDS + 15) * 1000);
    await Promise.all([frame.waitForNavigation(), submit(frame, 'form[action="/depistage/contact"]')]);
    expect(await frame.locator('h1').textContent()).toBe(TEXT.contactDoneTitle);
    await expectAutoHeight();
    await expectAccessible(page, 'widget-contact-done', frame);

    expect(await sendsRequest(before)).toMatchObject({
      organisationId: organisation.id,
      item10Positive: true,
    });
    expect(errors).toEqual([]);
    await context.close();
  });
});
