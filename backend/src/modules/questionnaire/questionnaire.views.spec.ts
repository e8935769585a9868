import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { SUPPORTED_EPDS_LANGUAGES, getEpdsInstrument, helpResources, resultMessage } from '@lien/shared';
import { parseHtml } from '../../testing/questionnaire-factories.js';
import {
  PAGE_CSP,
  PAGE_HEADERS,
  escapeHtml,
  renderMessage,
  renderOptOutConfirm,
  renderQuestionnaire,
  renderResult,
} from './questionnaire.views.js';

const TOKEN = 'tok_en-123456789012345678901';
const hashOf = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('questionnaire views', () => {
  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml(3)).toBe('3');
  });

  it("allows exactly the page's inline style and script in its Content-Security-Policy", () => {
    const page = parseHtml(renderQuestionnaire(TOKEN, 'fr').html);
    const style = page.$('style')?.text ?? '';
    const script = page.$('script')?.text ?? '';
    expect(style.length).toBeGreaterThan(100);
    expect(script.length).toBeGreaterThan(50);
    expect(PAGE_CSP).toContain(`style-src ${hashOf(style)}`);
    expect(PAGE_CSP).toContain(`script-src ${hashOf(script)}`);
    expect(PAGE_CSP).toContain("default-src 'none'");
    expect(PAGE_CSP).toContain("form-action 'self'");
    expect(PAGE_HEADERS['Content-Security-Policy']).toBe(PAGE_CSP);
    expect(PAGE_HEADERS['Cache-Control']).toBe('no-store');
  });

  it.each(SUPPORTED_EPDS_LANGUAGES)(
    'stays far under 20 kB compressed, even with every question in error (%s)',
    (language) => {
      const missing = Array.from({ length: 10 }, (_, index) => index + 1);
      const pages = [
        renderQuestionnaire(TOKEN, language),
        renderQuestionnaire(TOKEN, language, [], { missing, unexpected: true }),
        renderResult({
          token: TOKEN,
          language,
          message: resultMessage(language, 'high', true),
          resources: helpResources(
            language,
            { item10Positive: true, band: 'high' },
            { contactPhone: '01 02 03 04 05', localResources: [] },
          ),
          score: 30,
          optOut: true,
        }),
      ];
      for (const page of pages) expect(gzipSync(page.html).length).toBeLessThan(20 * 1024);
    },
  );

  it('marks the unanswered questions, keeps the answers and says which fields are wrong', () => {
    const answers = [0, 1, undefined, 3, 0, 1, 2, 3, 0, undefined];
    const rendered = renderQuestionnaire(TOKEN, 'en', answers, { missing: [3, 10], unexpected: false });
    expect(rendered.status).toBe(400);
    const page = parseHtml(rendered.html);
    expect(page.title).toBe('Error: How are you?');
    expect(page.$$('input:checked').map((input) => `${input.attr('name')}=${input.attr('value')}`)).toEqual([
      'q1=0',
      'q2=1',
      'q4=3',
      'q5=0',
      'q6=1',
      'q7=2',
      'q8=3',
      'q9=0',
    ]);
    expect(page.$$('fieldset.bad').map((fieldset) => fieldset.attr('id'))).toEqual(['q3', 'q10']);
    expect(page.$('#q3-err')?.text).toBe('Please answer this question.');
    expect(page.$$('[aria-invalid=true]')).toHaveLength(8);
  });

  it('uses the language and direction of the instrument, and every option of every item', () => {
    for (const language of SUPPORTED_EPDS_LANGUAGES) {
      const page = parseHtml(renderQuestionnaire(TOKEN, language).html);
      const instrument = getEpdsInstrument(language);
      expect(page.lang).toBe(language);
      expect(page.$('html')?.attr('dir')).toBe(instrument.direction);
      expect(page.$$('input[type=radio]').map((input) => input.parent?.text.trim())).toEqual(
        instrument.items.flatMap((item) => item.options.map((option) => option.text)),
      );
    }
  });

  it('shows the score only when given one', () => {
    const base = {
      token: TOKEN,
      language: 'fr' as const,
      message: resultMessage('fr', 'moderate', false),
      resources: [],
      optOut: false,
    };
    expect(parseHtml(renderResult({ ...base, score: null }).html).$('.score')).toBeNull();
    expect(parseHtml(renderResult({ ...base, score: 12 }).html).$('.score')?.text).toBe(
      'Votre score : 12 sur 30',
    );
    expect(parseHtml(renderResult({ ...base, score: null }).html).$('a[href*="opt-out"]')).toBeNull();
  });

  it('links only http(s) websites and dials with tel:', () => {
    const page = parseHtml(
      renderMessage({
        status: 200,
        language: 'fr',
        title: 'T',
        paragraphs: ['P'],
        resourcesTitle: 'R',
        resources: [
          { kind: 'local', name: 'A', phone: '03 21 00 00 00', url: 'javascript:alert(1)', description: '' },
          { kind: 'local', name: 'B', url: 'https://example.org/a?b=1&c=2', description: 'd' },
        ],
        switchPath: null,
      }).html,
    );
    expect(page.$$('main a').map((link) => link.attr('href'))).toEqual([
      'tel:0321000000',
      'https://example.org/a?b=1&c=2',
    ]);
  });

  it('asks before opting out, with a real form', () => {
    const page = parseHtml(renderOptOutConfirm('a/b', 'fr', true).html);
    expect(page.$('form')?.attr('action')).toBe('/q/a%2Fb/opt-out');
    expect(page.$('form')?.attr('method')).toBe('post');
    expect(page.$('a[href="/q/a%2Fb?lang=fr"]')?.text).toBe('Revenir aux questions');
    // Always a way back, even when the questions can no longer be answered.
    expect(parseHtml(renderOptOutConfirm('a', 'fr', false).html).$('a[href="/q/a?lang=fr"]')?.text).toBe(
      'Retour',
    );
  });

  it('names each missing question once, briefly, with a link to it', () => {
    const page = parseHtml(
      renderQuestionnaire(TOKEN, 'fr', [], { missing: [3, 10], unexpected: false }).html,
    );
    expect(page.$$('#errors li').map((item) => item.text)).toEqual([
      'Question 3 sur 10',
      'Question 10 sur 10',
    ]);
    expect(page.$$('#errors a').map((link) => link.attr('href'))).toEqual(['#q3-0', '#q10-0']);
    expect(page.$$('.em')).toHaveLength(2);
  });

  it('links the privacy notice and the accessibility statement from every page of a link', () => {
    const pages = [
      renderQuestionnaire(TOKEN, 'fr'),
      renderOptOutConfirm(TOKEN, 'fr', true),
      renderResult({
        token: TOKEN,
        language: 'fr',
        message: resultMessage('fr', 'low', false),
        resources: [],
        score: null,
        optOut: false,
      }),
      renderMessage({
        status: 410,
        language: 'fr',
        title: 'T',
        paragraphs: [],
        resourcesTitle: 'R',
        resources: [],
        switchPath: null,
        token: TOKEN,
      }),
    ];
    for (const rendered of pages) {
      const footer = parseHtml(rendered.html).$('footer');
      expect(footer?.$(`a[href="/q/${TOKEN}/privacy?lang=fr"]`)?.text).toBe('Vos données personnelles');
      expect(footer?.$(`a[href="/q/${TOKEN}/accessibility?lang=fr"]`)?.text).toBe('Accessibilité');
    }
  });
});
