import { gzipSync } from 'node:zlib';
import request from 'supertest';
import {
  DEFAULT_ORGANISATION_SETTINGS,
  getEpdsInstrument,
  wordEpdsInstrument,
  type EpdsLanguage,
} from '@lien/shared';
import { auditCount, auditEventOf, makeOrganisation } from '../../testing/factories.js';
import {
  answersWorth,
  makeLinkedInvitation,
  makeParent,
  makeSmsMessage,
  parseHtml,
} from '../../testing/questionnaire-factories.js';
import { createTestApi, createTestEnvironment, dataSourceOf } from '../../testing/test-app.js';
import { AlertEntity } from '../alerts/alert.entity.js';
import { InvitationEntity } from '../invitations/invitation.entity.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { ParentEntity } from '../parents/parent.entity.js';
import { SmsMessageEntity } from '../sms/sms-message.entity.js';
import { LINK_GUESS_LIMIT } from './link-guess-limiter.js';
import { ResponseEntity } from './response.entity.js';
import { startTestApi, stopTestApi, type TestApi } from '../../testing/api-spec.js';
import { publicVisitorPerTest } from '../../testing/jest/public-visitor.js';

jest.setTimeout(30_000);

/** Points of each chosen option, read from the instrument data (never a hard-coded total). */
function pointsOf(answers: readonly number[], language: EpdsLanguage = 'fr'): number[] {
  return getEpdsInstrument(language).items.map(
    (item, index) => item.options[answers[index] ?? -1]?.points ?? Number.NaN,
  );
}
const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

const LOW = answersWorth([0, 1, 0, 1, 0, 1, 0, 1, 0, 0]); // 4 points
const HIGH = answersWorth([2, 2, 2, 1, 1, 2, 2, 2, 1, 0]); // 15 points, item 10 "never"
const ITEM10 = answersWorth([0, 0, 0, 0, 0, 0, 0, 0, 0, 2]); // item 10 "sometimes"

function formBody(
  answers: readonly (number | undefined)[],
  extra: Record<string, string> = {},
): Record<string, string> {
  const body: Record<string, string> = { lang: 'fr' };
  answers.forEach((answer, index) => {
    if (answer !== undefined) body[`q${index + 1}`] = String(answer);
  });
  return { ...body, ...extra };
}

const dom = parseHtml;

describe('questionnaire over HTTP (real Postgres and Redis)', () => {
  let { environment, api: app, dataSource } = {} as TestApi;
  let organisation: OrganisationEntity;
  const http = () => request(app.getHttpServer());
  const visitor = publicVisitorPerTest(
    () => app,
    (test) => `198.51.100.${test}`,
  );
  const { get, postForm } = visitor;
  const postJson = (token: string, body: unknown) =>
    visitor.post(`/api/public/questionnaires/${token}/responses`).send(body as object);

  beforeAll(async () => {
    ({ environment, api: app, dataSource } = await startTestApi());
    organisation = await makeOrganisation(dataSource, {
      name: 'PMI de Lens',
      settings: {
        contactPhone: '03 21 00 00 00',
        localResources: [{ name: 'CMP périnatal', phone: '03 21 11 11 11' }],
      },
    });
  });
  afterAll(() => stopTestApi({ environment, api: app }));

  const responsesOf = (invitationId: string) =>
    dataSource.getRepository(ResponseEntity).findBy({ invitationId });
  const invitationRow = (id: string) => dataSource.getRepository(InvitationEntity).findOneByOrFail({ id });

  describe('GET /q/:token', () => {
    it('renders the questions as a real form, in French by default, and marks the invitation opened', async () => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      const token = tokens[0]!;
      const response = await get(`/q/${token}`).expect(200);

      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.headers['x-robots-tag']).toBe('noindex, nofollow');
      const csp = response.headers['content-security-policy'] as string;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
      expect(csp).not.toContain('unsafe-inline');

      const document = dom(response.text);
      const instrument = getEpdsInstrument('fr');
      expect(document.lang).toBe('fr');
      expect(document.$('html')?.attr('dir')).toBe('ltr');
      const form = document.$('form#f')!;
      expect(form.attr('method')).toBe('post');
      expect(form.attr('action')).toBe(`/q/${token}`);
      const fieldsets = form.$$('fieldset');
      expect(fieldsets).toHaveLength(10);
      fieldsets.forEach((fieldset, index) => {
        const item = instrument.items[index]!;
        expect(fieldset.$('legend')?.text).toContain(item.text);
        expect(fieldset.$('legend')?.text).toContain(`Question ${index + 1} sur 10`);
        const radios = fieldset.$$('input[type=radio]');
        expect(radios.map((radio) => [radio.attr('name'), radio.attr('value')])).toEqual(
          item.options.map((_, option) => [`q${index + 1}`, String(option)]),
        );
        expect(radios.map((radio) => radio.parent?.text.trim())).toEqual(
          item.options.map((option) => option.text),
        );
        expect(radios.some((radio) => radio.attr('checked') !== null)).toBe(false);
      });
      expect(document.body.text).toContain(instrument.title);
      // On screen, the digital instruction of the validated wording ("en cochant", not the paper "en soulignant").
      expect(document.body.text).toContain(wordEpdsInstrument(instrument, 'feminine').instructions);
      expect(document.body.text).toContain(instrument.itemsLeadIn);
      expect(document.$('footer')?.text).toContain(instrument.citation);
      expect(document.$('footer')?.text).toContain('Royal College of Psychiatrists');
      expect(document.$('input[name=lang]')?.attr('value')).toBe('fr');
      expect(document.$(`nav a[href="/q/${token}?lang=en&v=feminine"]`)?.text).toBe('English');
      expect(document.$(`a[href="/q/${token}/opt-out?lang=fr"]`)?.text).toBe('Ne plus recevoir de messages');
      // Nothing loaded from anywhere: no stylesheet, script, image or font by URL.
      expect(document.$$('link, [src], img, iframe')).toHaveLength(0);
      expect(response.text).not.toMatch(/url\(/);
      // The whole first load fits the 20 kB compressed budget.
      expect(gzipSync(response.text).length).toBeLessThan(20 * 1024);

      const opened = await invitationRow(invitation.id);
      expect(opened.status).toBe('opened');
      expect(opened.openedAt?.toISOString()).toBe(environment.clock.now().toISOString());
    });

    it("speaks the parent's language, and switches with ?lang", async () => {
      const { tokens } = await makeLinkedInvitation(dataSource, organisation, {
        parentOverrides: { language: 'en' },
      });
      const english = dom((await get(`/q/${tokens[0]}`).expect(200)).text);
      expect(english.lang).toBe('en');
      expect(english.body.text).toContain(getEpdsInstrument('en').items[0]!.text);
      expect(english.$(`nav a[href="/q/${tokens[0]}?lang=fr&v=feminine"]`)?.text).toBe('Français');

      const french = dom((await get(`/q/${tokens[0]}?lang=fr`).expect(200)).text);
      expect(french.lang).toBe('fr');
      expect(french.body.text).toContain(getEpdsInstrument('fr').items[0]!.text);

      // An unsupported or odd ?lang is ignored, never an error.
      for (const lang of ['de', '', 'EN', '<x>']) {
        const page = dom((await get(`/q/${tokens[0]}?lang=${encodeURIComponent(lang)}`).expect(200)).text);
        expect(page.lang).toBe('en');
      }
      await get(`/q/${tokens[0]}?lang=fr&lang=en`).expect(200);
    });

    it('speaks to a father in the masculine and to a co-parent inclusively; the wording switch works without JavaScript', async () => {
      const father = await makeLinkedInvitation(dataSource, organisation, {
        parentOverrides: { role: 'father' },
      });
      const token = father.tokens[0]!;
      const page = dom((await get(`/q/${token}`).expect(200)).text);
      const legends = page
        .$$('legend')
        .map((legend) => legend.text)
        .join('\n');
      expect(legends).toContain('Je me suis senti confiant et joyeux');
      expect(legends).not.toContain('sentie');
      expect(page.text).toContain('en cochant la réponse');
      expect(page.text).not.toContain('soulignant');
      expect(page.$('input[name=v]')?.attr('value')).toBe('masculine');
      // The switch is a plain link: following it (as a browser without JavaScript would) changes the wording.
      const switchNav = page.$('nav.wd');
      expect(switchNav?.attr('aria-label')).toBe('Formulation des questions');
      expect(switchNav?.$('a[aria-current=true]')?.text).toBe('Au masculin');
      const feminineHref = switchNav
        ?.$$('a')
        .find((link) => link.text === 'Au féminin')
        ?.attr('href');
      expect(feminineHref).toBe(`/q/${token}?lang=fr&v=feminine`);
      const feminine = dom((await get(feminineHref!).expect(200)).text);
      expect(
        feminine
          .$$('legend')
          .map((legend) => legend.text)
          .join('\n'),
      ).toContain('Je me suis sentie confiante et joyeuse');
      expect(feminine.$('input[name=v]')?.attr('value')).toBe('feminine');
      // The language links keep the wording.
      expect(feminine.$('a[hreflang=en]')?.attr('href')).toBe(`/q/${token}?lang=en&v=feminine`);

      const coParent = await makeLinkedInvitation(dataSource, organisation, {
        parentOverrides: { role: 'co_parent' },
      });
      const inclusive = dom((await get(`/q/${coParent.tokens[0]}`).expect(200)).text);
      const inclusiveText = inclusive
        .$$('fieldset')
        .map((fieldset) => fieldset.text)
        .join('\n');
      expect(inclusiveText).toContain('malheureux ou malheureuse');
      expect(inclusiveText).not.toMatch(/sentie|·/);

      // An unknown wording falls back to the role's.
      const fallback = dom((await get(`/q/${token}?v=neutral`).expect(200)).text);
      expect(fallback.$('input[name=v]')?.attr('value')).toBe('masculine');
    });

    it('keeps the chosen wording when answers are missing, and scores a father as ever (version recorded)', async () => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation, {
        parentOverrides: { role: 'father' },
      });
      const partial = [...HIGH];
      partial[2] = undefined as unknown as number;
      const again = dom(
        (await postForm(`/q/${tokens[0]}`, formBody(partial, { v: 'inclusive' })).expect(400)).text,
      );
      expect(again.$('input[name=v]')?.attr('value')).toBe('inclusive');
      expect(
        again
          .$$('legend')
          .map((legend) => legend.text)
          .join('\n'),
      ).toContain('malheureux ou malheureuse');
      await postForm(`/q/${tokens[0]}`, formBody(HIGH, { v: 'masculine' })).expect(200);
      const [stored] = await responsesOf(invitation.id);
      expect(stored).toMatchObject({
        parentRole: 'father',
        instrumentVersion: '1.0',
        language: 'fr',
        answers: HIGH,
        itemPoints: pointsOf(HIGH),
        score: sum(pointsOf(HIGH)),
      });
    });

    it('serves a privacy notice naming the organisation, the retention period, the rights and the contact', async () => {
      const { tokens } = await makeLinkedInvitation(dataSource, organisation);
      const questions = dom((await get(`/q/${tokens[0]}`).expect(200)).text);
      const href = questions.$('footer a[href*="/privacy"]')?.attr('href');
      expect(href).toBe(`/q/${tokens[0]}/privacy?lang=fr`);
      const response = await get(href!).expect(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const page = dom(response.text);
      expect(page.$('h1')?.text).toBe('Vos données personnelles');
      const text = page.$('main')!.text;
      expect(text).toContain('PMI de Lens, l’équipe qui vous accompagne, est responsable de vos données');
      expect(text).toContain(`supprimées ${environment.config.retentionDays} jours`);
      expect(text).toContain('03 21 00 00 00');
      expect(text).toMatch(/accéder à vos données.*corriger ou effacer/);
      expect(text).toContain('CNIL');
      // A way back to the questions.
      expect(page.$(`main a[href="/q/${tokens[0]}?lang=fr"]`)?.text).toBe('Retour');

      const english = dom((await get(`/q/${tokens[0]}/privacy?lang=en`).expect(200)).text);
      expect(english.$('h1')?.text).toBe('Your personal data');
      const accessibility = dom((await get(`/q/${tokens[0]}/accessibility`).expect(200)).text);
      expect(accessibility.$('h1')?.text).toBe('Accessibilité');
      expect(accessibility.$('main')?.text).toContain('Défenseur des droits');
      // An unknown link gets the generic notice, naming no organisation.
      const generic = dom((await get(`/q/${'Z'.repeat(32)}/privacy`).expect(200)).text);
      expect(generic.$('main')?.text).not.toContain('PMI de Lens');
      expect(generic.$('main')?.text).toContain('L’équipe qui vous accompagne');
    });

    it('keeps the first opening time, and a HEAD request (link preview) opens nothing', async () => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      await http().head(`/q/${tokens[0]}`).set('X-Forwarded-For', visitor.address()).expect(200);
      expect((await invitationRow(invitation.id)).status).toBe('sent');
      await get(`/q/${tokens[0]}`).expect(200);
      const first = (await invitationRow(invitation.id)).openedAt;
      environment.clock.advance(60_000);
      await get(`/q/${tokens[0]}`).expect(200);
      environment.clock.advance(-60_000);
      expect((await invitationRow(invitation.id)).openedAt).toEqual(first);
    });

    it('answers an unknown token with a generic 404 page: emergency numbers, nothing about any organisation', async () => {
      const response = await get('/q/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').expect(404);
      expect(response.headers['cache-control']).toBe('no-store');
      const document = dom(response.text);
      expect(document.$('h1')?.text).toBe('Lien non reconnu');
      const phones = document.$$('a[href^="tel:"]').map((link) => link.attr('href'));
      expect(phones).toEqual(['tel:3114', 'tel:15', 'tel:112']);
      expect(response.text).not.toContain(organisation.name);
      expect(document.$('form')).toBeNull();
    });

    it('escapes whatever the visitor put in the URL', async () => {
      const response = await get(`/q/${encodeURIComponent('<script>alert(1)</script>')}?lang=en`).expect(404);
      expect(response.text).not.toContain('<script>alert');
      expect(dom(response.text).$$('script')).toHaveLength(0);
      await get(`/q/${'x'.repeat(5000)}`).expect(404);
    });

    it('answers an expired link with 410, naming the organisation and its contact', async () => {
      const past = new Date(environment.clock.now().getTime() - 8 * 24 * 3600 * 1000);
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation, {
        invitation: { sentAt: past, dueAt: past },
      });
      const response = await get(`/q/${tokens[0]}`).expect(410);
      const document = dom(response.text);
      expect(document.$('h1')?.text).toBe('Ce lien n’est plus valable');
      expect(document.body.text).toContain('PMI de Lens');
      expect(document.$('a[href="tel:0321000000"]')).not.toBeNull();
      expect(document.$('form')).toBeNull();
      expect((await invitationRow(invitation.id)).status).toBe('sent');
    });

    it.each(['expired', 'cancelled', 'skipped'] as const)(
      'answers an invitation %s with 410',
      async (status) => {
        const { tokens } = await makeLinkedInvitation(dataSource, organisation, { invitation: { status } });
        await get(`/q/${tokens[0]}`).expect(410);
      },
    );

    it('escapes the organisation name', async () => {
      const sneaky = await makeOrganisation(dataSource, {
        name: '<b>PMI</b> & "Co"',
        settings: { contactPhone: '01 00 00 00 00' },
      });
      const { tokens } = await makeLinkedInvitation(dataSource, sneaky, {
        invitation: { status: 'cancelled' },
      });
      const response = await get(`/q/${tokens[0]}`).expect(410);
      expect(response.text).toContain('&lt;b&gt;PMI&lt;/b&gt; &amp; &quot;Co&quot;');
      expect(response.text).not.toContain('<b>PMI');
    });
  });

  describe('POST /q/:token (form)', () => {
    it('stores the answers with the instrument version, language and channel, completes the invitation and cancels the reminders', async () => {
      const { parent, invitation, tokens } = await makeLinkedInvitation(dataSource, organisation, {
        invitation: { status: 'opened' },
      });
      const reminder = await makeSmsMessage(dataSource, invitation);
      const sentSms = await makeSmsMessage(dataSource, invitation, {
        kind: 'invitation',
        status: 'delivered',
      });
      const response = await postForm(`/q/${tokens[0]}`, formBody(LOW)).expect(200);

      const [stored, ...others] = await responsesOf(invitation.id);
      expect(others).toHaveLength(0);
      expect(stored).toMatchObject({
        organisationId: organisation.id,
        parentId: parent.id,
        invitationId: invitation.id,
        wave: 'day7',
        parentRole: 'mother',
        instrumentId: 'epds',
        instrumentVersion: '1.0',
        language: 'fr',
        channel: 'web_form',
        answers: LOW,
        itemPoints: pointsOf(LOW),
        score: sum(pointsOf(LOW)),
        band: 'low',
        item10Positive: false,
        anxietyScore: sum(pointsOf(LOW).slice(2, 5)),
        anxietyFlag: false,
      });
      expect(stored!.score).toBe(4);

      const completed = await invitationRow(invitation.id);
      expect(completed.status).toBe('completed');
      expect(completed.completedAt?.toISOString()).toBe(environment.clock.now().toISOString());
      const sms = await dataSource.getRepository(SmsMessageEntity).findBy({ invitationId: invitation.id });
      expect(sms.find((row) => row.id === reminder.id)?.status).toBe('cancelled');
      expect(sms.find((row) => row.id === reminder.id)?.statusHistory.at(-1)?.status).toBe('cancelled');
      expect(sms.find((row) => row.id === sentSms.id)?.status).toBe('delivered');

      const audit = await auditEventOf(dataSource, { action: 'response.create', targetId: stored!.id });
      expect(audit).toMatchObject({ actorId: null, organisationId: organisation.id, ip: visitor.address() });
      expect(JSON.stringify(audit.metadata)).not.toMatch(/answers|score/);

      // The result: kind words, resources with tel: links, no score.
      const document = dom(response.text);
      expect(document.$('h1')?.text).toBe('Merci pour vos réponses');
      expect(document.$('.score')).toBeNull();
      expect(document.body.text).not.toMatch(/score|sur 30/i);
      const phones = document.$$('a[href^="tel:"]').map((link) => link.attr('href'));
      expect(phones).toEqual([
        'tel:0805382300',
        'tel:0321000000',
        'tel:0321111111',
        'tel:3114',
        'tel:15',
        'tel:112',
      ]);
      expect(document.$(`a[href="/q/${tokens[0]}/opt-out?lang=fr"]`)).not.toBeNull();
      expect(await dataSource.getRepository(AlertEntity).countBy({ parentId: parent.id })).toBe(0);
    });

    it('shows the score only when the organisation allows it', async () => {
      const open = await makeOrganisation(dataSource, { settings: { showScoreToParent: true } });
      const { tokens } = await makeLinkedInvitation(dataSource, open);
      const response = await postForm(`/q/${tokens[0]}`, formBody(HIGH)).expect(200);
      expect(dom(response.text).$('.score')?.text).toBe(`Votre score : ${sum(pointsOf(HIGH))} sur 30`);
    });

    it('item 10 positive: emergency numbers first, a professional will call, an urgent alert', async () => {
      const { parent, invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      const response = await postForm(`/q/${tokens[0]}`, formBody(ITEM10)).expect(200);
      const document = dom(response.text);
      expect(document.$('main > p')?.text).toContain('va vous appeler très bientôt');
      const phones = document.$$('a[href^="tel:"]').map((link) => link.attr('href'));
      expect(phones.slice(0, 3)).toEqual(['tel:3114', 'tel:15', 'tel:112']);
      const [stored] = await responsesOf(invitation.id);
      expect(stored).toMatchObject({ item10Positive: true, score: sum(pointsOf(ITEM10)), band: 'low' });
      const alert = await dataSource.getRepository(AlertEntity).findOneByOrFail({ parentId: parent.id });
      expect(alert.severity).toBe('urgent');
      expect(stored!.alertId).toBe(alert.id);
    });

    it('re-shows the form with the unanswered questions marked and the given answers kept; stores nothing', async () => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      const partial: (number | undefined)[] = [...HIGH];
      partial[2] = undefined;
      partial[9] = undefined;
      const response = await postForm(`/q/${tokens[0]}`, formBody(partial)).expect(400);
      const document = dom(response.text);
      expect(document.title).toBe('Erreur : Comment allez-vous ?');
      const summary = document.$('#errors')!;
      expect(summary.attr('tabindex')).toBe('-1');
      expect(summary.$$('a').map((link) => [link.attr('href'), link.text])).toEqual([
        ['#q3-0', 'Question 3 sur 10'],
        ['#q10-0', 'Question 10 sur 10'],
      ]);
      for (let number = 1; number <= 10; number += 1) {
        const fieldset = document.$(`fieldset#q${number}`)!;
        const radios = fieldset.$$('input[type=radio]');
        const missing = number === 3 || number === 10;
        expect(radios.every((radio) => radio.attr('aria-invalid') === (missing ? 'true' : null))).toBe(true);
        expect(fieldset.attr('aria-describedby')).toBe(missing ? `q${number}-err` : null);
        expect(radios.findIndex((radio) => radio.attr('checked') !== null)).toBe(
          missing ? -1 : HIGH[number - 1],
        );
      }
      expect(await responsesOf(invitation.id)).toHaveLength(0);
      expect((await invitationRow(invitation.id)).status).toBe('sent');
    });

    it.each<[string, Record<string, string> | string, number[]]>([
      ['an empty form', {}, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
      ['an option out of range', formBody(LOW, { q4: '4' }), [4]],
      ['a negative option', formBody(LOW, { q5: '-1' }), [5]],
      ['a non-numeric option', formBody(LOW, { q6: 'abc' }), [6]],
      ['a decimal option', formBody(LOW, { q7: '1.0' }), [7]],
      ['a repeated field', new URLSearchParams({ ...formBody(LOW), q8: '1' }).toString() + '&q8=2', [8]],
    ])('re-shows the form for %s (400), storing nothing', async (_label, body, missing) => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      const response = await postForm(`/q/${tokens[0]}`, body).expect(400);
      const marked = dom(response.text)
        .$$('#errors a')
        .map((link) => link.attr('href'));
      expect(marked).toEqual(missing.map((number) => `#q${number}-0`));
      expect(await responsesOf(invitation.id)).toHaveLength(0);
    });

    it('re-shows the form when it carries fields the page never sends', async () => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      const response = await postForm(`/q/${tokens[0]}`, formBody(LOW, { score: '0' })).expect(400);
      const document = dom(response.text);
      expect(document.$('#errors')?.text).toContain('Certaines réponses n’ont pas pu être lues');
      expect(document.$$('input:checked').map((input) => Number(input.attr('value')))).toEqual(LOW);
      expect(await responsesOf(invitation.id)).toHaveLength(0);
    });

    it('never answers 500 to odd bodies', async () => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      const path = `/q/${tokens[0]}`;
      await visitor
        .post(path)
        .send({ q1: 0, q2: [1] })
        .expect(400);
      await visitor.post(path).set('Content-Type', 'application/json').send('{"q1":').expect(400);
      await visitor.post(path).set('Content-Type', 'text/plain').send('q1=0').expect(400);
      await visitor.post(path).type('form').send('q1=%E0%A4%A&lang=%FF').expect(400);
      await visitor.post(path).type('form').send('__proto__=1&constructor=2').expect(400);
      expect(await responsesOf(invitation.id)).toHaveLength(0);
    });

    it('keeps the language the parent answered in', async () => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      const response = await postForm(`/q/${tokens[0]}`, formBody(LOW, { lang: 'en' })).expect(200);
      expect(dom(response.text).lang).toBe('en');
      expect((await responsesOf(invitation.id))[0]?.language).toBe('en');
    });
  });

  describe('POST /api/public/questionnaires/:token/responses (JSON)', () => {
    it('stores the answers (channel api) and returns score, band, flags and resources', async () => {
      const { parent, invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      const reminder = await makeSmsMessage(dataSource, invitation);
      const response = await postJson(tokens[0]!, { answers: HIGH }).expect(201);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toMatchObject({
        score: sum(pointsOf(HIGH)),
        band: 'high',
        flags: { item10Positive: false, anxiety: sum(pointsOf(HIGH).slice(2, 5)) >= 5 },
        language: 'fr',
        instrumentVersion: '1.0',
        message: { title: 'Merci de nous avoir confié ce que vous vivez' },
      });
      expect(response.body.resources[0]).toMatchObject({
        name: 'Allô Parents en crise',
        phone: '0 805 382 300',
      });
      const [stored] = await responsesOf(invitation.id);
      expect(stored).toMatchObject({
        channel: 'api',
        answers: HIGH,
        itemPoints: pointsOf(HIGH),
        score: 15,
        band: 'high',
        parentId: parent.id,
      });
      expect((await invitationRow(invitation.id)).status).toBe('completed');
      expect(
        (await dataSource.getRepository(SmsMessageEntity).findOneByOrFail({ id: reminder.id })).status,
      ).toBe('cancelled');
      expect(
        (await dataSource.getRepository(AlertEntity).findOneByOrFail({ parentId: parent.id })).severity,
      ).toBe('high');
    });

    it.each<[string, 'mother' | 'father' | 'co_parent', number[], string]>([
      ['mother at 10', 'mother', [1, 1, 1, 1, 1, 1, 1, 1, 2, 0], 'low'],
      ['father at 10', 'father', [1, 1, 1, 1, 1, 1, 1, 1, 2, 0], 'moderate'],
      ['mother at 11', 'mother', [1, 1, 1, 1, 1, 1, 1, 1, 3, 0], 'moderate'],
      ['co-parent at 12', 'co_parent', [2, 1, 1, 1, 1, 1, 1, 1, 3, 0], 'high'],
      ['mother at 12', 'mother', [2, 1, 1, 1, 1, 1, 1, 1, 3, 0], 'moderate'],
      ['mother at 13', 'mother', [2, 2, 1, 1, 1, 1, 1, 1, 3, 0], 'high'],
    ])('bands by the thresholds of the parent role (%s)', async (_label, role, points, band) => {
      const { tokens } = await makeLinkedInvitation(dataSource, organisation, { parentOverrides: { role } });
      const response = await postJson(tokens[0]!, { answers: answersWorth(points) }).expect(201);
      expect(response.body).toMatchObject({ score: sum(points), band });
    });

    it("uses the organisation's own thresholds", async () => {
      const strict = await makeOrganisation(dataSource, {
        settings: {
          thresholds: { ...DEFAULT_ORGANISATION_SETTINGS.thresholds, mother: { moderate: 3, high: 5 } },
          anxietyThreshold: 2,
        },
      });
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, strict);
      const response = await postJson(tokens[0]!, { answers: LOW }).expect(201);
      expect(response.body).toMatchObject({ score: 4, band: 'moderate' });
      expect((await responsesOf(invitation.id))[0]).toMatchObject({ band: 'moderate', score: 4 });
    });

    it('honours a language field', async () => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      const response = await postJson(tokens[0]!, { answers: LOW, language: 'en' }).expect(201);
      expect(response.body.message.title).toBe('Thank you for your answers');
      expect((await responsesOf(invitation.id))[0]?.language).toBe('en');
    });

    it.each<[string, unknown, string[]]>([
      ['no answers', {}, ['answers']],
      ['answers not an array', { answers: '0,1,2' }, ['answers']],
      ['9 answers', { answers: LOW.slice(0, 9) }, ['answers']],
      ['11 answers', { answers: [...LOW, 0] }, ['answers']],
      [
        'an option out of range',
        { answers: LOW.map((answer, index) => (index === 3 ? 4 : answer)) },
        ['answers[3]'],
      ],
      [
        'a negative option',
        { answers: LOW.map((answer, index) => (index === 0 ? -1 : answer)) },
        ['answers[0]'],
      ],
      ['a decimal', { answers: LOW.map((answer, index) => (index === 5 ? 1.5 : answer)) }, ['answers[5]']],
      ['a string', { answers: LOW.map((answer, index) => (index === 9 ? '2' : answer)) }, ['answers[9]']],
      ['a null', { answers: LOW.map((answer, index) => (index === 1 ? null : answer)) }, ['answers[1]']],
      [
        'an object',
        { answers: LOW.map((answer, index) => (index === 2 ? { value: 1 } : answer)) },
        ['answers[2]'],
      ],
      ['an extra field', { answers: LOW, score: 0 }, ['score']],
      ['an unknown language', { answers: LOW, language: 'de' }, ['language']],
      ['a top-level array', [LOW], ['body']],
      ['several problems', { answers: [0, 9], channel: 'web' }, ['channel', 'answers', 'answers[1]']],
    ])('400 naming the problem: %s; nothing stored', async (_label, body, fields) => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      const response = await postJson(tokens[0]!, body).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'invalid_input' });
      expect((response.body.details as { field: string }[]).map((detail) => detail.field)).toEqual(fields);
      expect(response.body.message).toContain(fields[0]);
      expect(await responsesOf(invitation.id)).toHaveLength(0);
      expect((await invitationRow(invitation.id)).status).toBe('sent');
    });

    it('400 for malformed JSON, 415 for other content types; never 500', async () => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      const path = `/api/public/questionnaires/${tokens[0]}/responses`;
      await visitor.post(path).set('Content-Type', 'application/json').send('{"answers": [1,').expect(400);
      await visitor.post(path).set('Content-Type', 'text/plain').send('hello').expect(415);
      await visitor.post(path).type('form').send('answers=1').expect(400);
      await visitor.post(path).set('Content-Type', 'application/json').send('null').expect(400);
      await visitor.post(path).set('Content-Type', 'application/json').send('"x"').expect(400);
      await visitor
        .post(path)
        .send({ answers: new Array(100_000).fill(0) })
        .expect((res) => expect([400, 413]).toContain(res.status));
      expect(await responsesOf(invitation.id)).toHaveLength(0);
    });

    it('404 for an unknown token, 410 for expired or cancelled links', async () => {
      const unknown = await postJson('B'.repeat(32), { answers: LOW }).expect(404);
      expect(unknown.body).toMatchObject({ code: 'link_not_found' });
      const past = new Date(environment.clock.now().getTime() - 30 * 24 * 3600 * 1000);
      const expired = await makeLinkedInvitation(dataSource, organisation, {
        invitation: { sentAt: past, dueAt: past },
      });
      expect((await postJson(expired.tokens[0]!, { answers: LOW }).expect(410)).body).toMatchObject({
        statusCode: 410,
        code: 'link_expired',
      });
      const cancelled = await makeLinkedInvitation(dataSource, organisation, {
        invitation: { status: 'cancelled' },
      });
      expect((await postJson(cancelled.tokens[0]!, { answers: LOW }).expect(410)).body).toMatchObject({
        code: 'link_unavailable',
      });
      const withdrawn = await makeLinkedInvitation(dataSource, organisation, {
        parentOverrides: { status: 'withdrawn' },
      });
      await postJson(withdrawn.tokens[0]!, { answers: LOW }).expect(410);
      for (const { invitation } of [expired, cancelled, withdrawn])
        expect(await responsesOf(invitation.id)).toHaveLength(0);
    });
  });

  describe('single submission', () => {
    it('keeps the first answers: a second submission by either path gets "already answered"', async () => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation, { links: 2 });
      await postForm(`/q/${tokens[0]}`, formBody(LOW)).expect(200);

      const again = await postForm(`/q/${tokens[0]}`, formBody(HIGH)).expect(409);
      expect(dom(again.text).$('h1')?.text).toBe('Vous avez déjà répondu. Merci !');
      // Emergency numbers first on this page: it may be what a double tap shows after an item-10 answer.
      expect(dom(again.text).$('a[href^="tel:"]')?.attr('href')).toBe('tel:3114');
      expect((await postJson(tokens[1]!, { answers: HIGH }).expect(409)).body).toMatchObject({
        code: 'already_answered',
      });
      // Even with an invalid body: the state of the link comes first.
      await postJson(tokens[1]!, { answers: [] }).expect(409);
      const page = await get(`/q/${tokens[1]}`).expect(200);
      expect(dom(page.text).$('h1')?.text).toBe('Vous avez déjà répondu. Merci !');
      expect(dom(page.text).$('form')).toBeNull();

      const stored = await responsesOf(invitation.id);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ answers: LOW, channel: 'web_form' });
    });

    it('accepts any live link of the invitation (the reminder link too)', async () => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation, {
        links: 3,
        invitation: { remindersSent: 2 },
      });
      await postJson(tokens[2]!, { answers: LOW }).expect(201);
      expect((await invitationRow(invitation.id)).status).toBe('completed');
    });

    it('stores exactly one response when submissions race on several links', async () => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation, { links: 3 });
      const attempts = await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          index % 2 === 0
            ? postJson(tokens[index % 3]!, { answers: HIGH })
            : postForm(`/q/${tokens[index % 3]}`, formBody(LOW)),
        ),
      );
      const statuses = attempts.map((attempt) => attempt.status);
      expect(statuses.filter((status) => status === 200 || status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(11);
      expect(await responsesOf(invitation.id)).toHaveLength(1);
    });
  });

  describe('opt-out', () => {
    it('asks first, then opts the parent out, cancels what is pending, and audits it without an actor', async () => {
      const { parent, invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      const pending = await makeSmsMessage(dataSource, invitation);
      const later = await makeLinkedInvitation(dataSource, organisation, {
        parent,
        invitation: {
          wave: 'day42',
          status: 'planned',
          sentAt: null,
          expiresAt: null,
          dueAt: new Date('2026-04-03T08:00:00Z'),
        },
      });
      const laterSms = await makeSmsMessage(dataSource, later.invitation, { kind: 'invitation' });
      const done = await makeLinkedInvitation(dataSource, organisation, {
        parent,
        invitation: { wave: 'adhoc', status: 'completed' },
      });

      const confirm = dom((await get(`/q/${tokens[0]}/opt-out`).expect(200)).text);
      const form = confirm.$('form')!;
      expect(form.attr('method')).toBe('post');
      expect(form.attr('action')).toBe(`/q/${tokens[0]}/opt-out`);
      expect(confirm.$(`a[href="/q/${tokens[0]}?lang=fr"]`)?.text).toBe('Revenir aux questions');
      // Looking is not opting out.
      expect((await dataSource.getRepository(ParentEntity).findOneByOrFail({ id: parent.id })).status).toBe(
        'active',
      );

      const response = await postForm(`/q/${tokens[0]}/opt-out`, { lang: 'fr' }).expect(200);
      expect(dom(response.text).$('h1')?.text).toBe('Votre demande est enregistrée');

      const row = await dataSource.getRepository(ParentEntity).findOneByOrFail({ id: parent.id });
      expect(row.status).toBe('opted_out');
      expect(row.statusChangedAt?.toISOString()).toBe(environment.clock.now().toISOString());
      // The invitation already received stays answerable; the next one will not be sent.
      expect((await invitationRow(invitation.id)).status).toBe('sent');
      expect((await invitationRow(later.invitation.id)).status).toBe('cancelled');
      expect((await invitationRow(done.invitation.id)).status).toBe('completed');
      const sms = dataSource.getRepository(SmsMessageEntity);
      expect((await sms.findOneByOrFail({ id: pending.id })).status).toBe('cancelled');
      expect((await sms.findOneByOrFail({ id: laterSms.id })).status).toBe('cancelled');
      const audit = await auditEventOf(dataSource, { action: 'parent.opt_out', targetId: parent.id });
      expect(audit).toMatchObject({ actorId: null, organisationId: organisation.id, targetType: 'parent' });
      expect(audit.metadata).toMatchObject({ channel: 'parent', invitationId: invitation.id });

      // Idempotent: nothing more to confirm, nothing more audited.
      await postForm(`/q/${tokens[0]}/opt-out`, { lang: 'fr' }).expect(200);
      expect(await auditCount(dataSource, { action: 'parent.opt_out', targetId: parent.id })).toBe(1);
      const again = dom((await get(`/q/${tokens[0]}/opt-out`).expect(200)).text);
      expect(again.$('h1')?.text).toBe('Votre demande est enregistrée');
      expect(again.$('form')).toBeNull();

      // The questions can still be answered, without an opt-out link any more.
      const page = dom((await get(`/q/${tokens[0]}`).expect(200)).text);
      expect(page.$('form#f')).not.toBeNull();
      expect(page.$('a[href*="/opt-out"]')).toBeNull();
      const result = dom((await postForm(`/q/${tokens[0]}`, formBody(LOW)).expect(200)).text);
      expect(result.$('a[href*="/opt-out"]')).toBeNull();
      expect(await responsesOf(invitation.id)).toHaveLength(1);
    });

    it('works from an answered link, and 404s for an unknown one', async () => {
      const { parent, tokens } = await makeLinkedInvitation(dataSource, organisation);
      await postJson(tokens[0]!, { answers: LOW }).expect(201);
      const confirm = dom((await get(`/q/${tokens[0]}/opt-out?lang=en`).expect(200)).text);
      expect(confirm.lang).toBe('en');
      expect(confirm.$('a[href*="lang=fr"]')).not.toBeNull(); // the language switch
      expect(confirm.body.text).not.toContain('Back to the questions');
      await postForm(`/q/${tokens[0]}/opt-out`, { lang: 'en' }).expect(200);
      expect((await dataSource.getRepository(ParentEntity).findOneByOrFail({ id: parent.id })).status).toBe(
        'opted_out',
      );
      await get(`/q/${'C'.repeat(32)}/opt-out`).expect(404);
      await postForm(`/q/${'C'.repeat(32)}/opt-out`, {}).expect(404);
    });
  });

  describe('token guessing', () => {
    it(`answers 429 to an address after ${LINK_GUESS_LIMIT} unknown links, for every link and both paths`, async () => {
      const { invitation, tokens } = await makeLinkedInvitation(dataSource, organisation);
      for (let attempt = 0; attempt < LINK_GUESS_LIMIT; attempt += 1) {
        await get(`/q/guess${String(attempt).padStart(20, '0')}`).expect(404);
      }
      const blocked = await get(`/q/${tokens[0]}`).expect(429);
      expect(dom(blocked.text).$('h1')?.text).toBe('Veuillez patienter');
      expect(dom(blocked.text).$('a[href="tel:3114"]')).not.toBeNull();
      expect((await postJson(tokens[0]!, { answers: LOW }).expect(429)).body).toMatchObject({
        code: 'too_many_attempts',
      });
      await postForm(`/q/${tokens[0]}`, formBody(LOW)).expect(429);
      expect(await responsesOf(invitation.id)).toHaveLength(0);
      expect((await invitationRow(invitation.id)).status).toBe('sent');

      // Another address is not affected.
      visitor.speakFrom('203.0.113.77');
      await get(`/q/${tokens[0]}`).expect(200);
    });

    it('counts unknown links on the JSON path too', async () => {
      for (let attempt = 0; attempt < LINK_GUESS_LIMIT; attempt += 1) {
        await postJson(`json${String(attempt).padStart(20, '0')}`, { answers: LOW }).expect(404);
      }
      await postJson('D'.repeat(32), { answers: LOW }).expect(429);
    });
  });

  it('documents the JSON path in OpenAPI, not the HTML pages', async () => {
    const paths = Object.keys(
      (await http().get('/api/docs-json').expect(200)).body.paths as Record<string, unknown>,
    );
    expect(paths).toContain('/api/public/questionnaires/{token}/responses');
    expect(paths.filter((path) => path.startsWith('/q/'))).toEqual([]);
  });

  it('still serves and stores when Redis is away (the guess limiter fails open)', async () => {
    const redisDown = await createTestEnvironment({ REDIS_URL: 'redis://127.0.0.1:1' });
    const downApp = await createTestApi(redisDown);
    try {
      const downData = dataSourceOf(downApp);
      const { invitation, tokens } = await makeLinkedInvitation(downData, await makeOrganisation(downData));
      await request(downApp.getHttpServer()).get(`/q/${tokens[0]}`).expect(200);
      await request(downApp.getHttpServer())
        .get(`/q/${'E'.repeat(32)}`)
        .expect(404);
      await request(downApp.getHttpServer())
        .post(`/api/public/questionnaires/${tokens[0]}/responses`)
        .send({ answers: LOW })
        .expect(201);
      expect(await downData.getRepository(ResponseEntity).countBy({ invitationId: invitation.id })).toBe(1);
    } finally {
      await downApp.close();
      await redisDown.teardown();
    }
  });

  it('resolves nothing for a link whose rows disagree on the organisation', async () => {
    const other = await makeOrganisation(dataSource, { name: 'Maternité B' });
    const parent = await makeParent(dataSource, other);
    const { tokens } = await makeLinkedInvitation(dataSource, organisation, { parent });
    // An inconsistent link (invitation of organisation A for a parent of B) resolves to nothing.
    await get(`/q/${tokens[0]}`).expect(404);
  });
});
