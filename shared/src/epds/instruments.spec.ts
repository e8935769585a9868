import {
  EPDS_CITATION,
  EPDS_INSTRUMENT_VERSION,
  EPDS_INSTRUMENTS,
  SUPPORTED_EPDS_LANGUAGES,
  checkEpdsInstrument,
  findEpdsInstrument,
  getEpdsInstrument,
  getEpdsUiText,
  formatUiText,
  isEpdsLanguage,
  resolveEpdsLanguage,
  EPDS_UI_TEXT,
  EPDS_WORDINGS,
  epdsWordingForRole,
  hasEpdsItemWordings,
  wordEpdsInstrument,
  type EpdsInstrument,
  type EpdsUiText,
} from './index.js';

// Points of the original scale, first option to last: items 1, 2, 4 ascending, the others descending.
const EXPECTED_POINTS: Record<number, number[]> = {
  1: [0, 1, 2, 3],
  2: [0, 1, 2, 3],
  3: [3, 2, 1, 0],
  4: [0, 1, 2, 3],
  5: [3, 2, 1, 0],
  6: [3, 2, 1, 0],
  7: [3, 2, 1, 0],
  8: [3, 2, 1, 0],
  9: [3, 2, 1, 0],
  10: [3, 2, 1, 0],
};

describe('EPDS instruments', () => {
  it('supports French and English at the current version', () => {
    expect(SUPPORTED_EPDS_LANGUAGES).toEqual(['fr', 'en']);
    expect(EPDS_INSTRUMENT_VERSION).toBe('1.0');
    expect(Object.keys(EPDS_INSTRUMENTS[EPDS_INSTRUMENT_VERSION] ?? {}).sort()).toEqual(['en', 'fr']);
  });

  describe.each(SUPPORTED_EPDS_LANGUAGES)('%s', (language) => {
    const instrument = getEpdsInstrument(language);

    it('is structurally sound', () => {
      expect(checkEpdsInstrument(instrument)).toEqual([]);
      expect(instrument).toMatchObject({
        id: 'epds',
        version: EPDS_INSTRUMENT_VERSION,
        language,
        direction: 'ltr',
      });
    });

    it('stores the original points of every option', () => {
      for (const item of instrument.items) {
        expect(item.options.map((option) => option.points)).toEqual(EXPECTED_POINTS[item.number]);
      }
    });

    it('cites Cox et al. and the French validation', () => {
      expect(instrument.citation).toContain('Cox JL, Holden JM, Sagovsky R');
      expect(instrument.citation).toContain('Br J Psychiatry 1987;150:782-6');
      expect(instrument.citation).toContain('Guedeney N, Fermanian J. Eur Psychiatry 1998;13:83-9');
    });

    it('has no duplicated option within an item', () => {
      for (const item of instrument.items) {
        expect(new Set(item.options.map((option) => option.text)).size).toBe(4);
      }
    });
  });

  it('uses the verbatim English wording (Cox, Holden & Sagovsky 1987)', () => {
    const en = getEpdsInstrument('en');
    expect(en.title).toBe('Edinburgh Postnatal Depression Scale');
    expect(en.instructions).toBe(
      'As you are pregnant or have recently had a baby, we would like to know how you are feeling. Please check the answer that comes closest to how you have felt IN THE PAST 7 DAYS, not just how you feel today.',
    );
    expect(en.citation).toBe(EPDS_CITATION);
    expect(en.items[0]?.text).toBe('I have been able to laugh and see the funny side of things');
    expect(en.items[0]?.options.map((option) => option.text)).toEqual([
      'As much as I always could',
      'Not quite so much now',
      'Definitely not so much now',
      'Not at all',
    ]);
    expect(en.items[9]?.text).toBe('The thought of harming myself has occurred to me');
    expect(en.items[9]?.options.map((option) => option.text)).toEqual([
      'Yes, quite often',
      'Sometimes',
      'Hardly ever',
      'Never',
    ]);
  });

  it('uses the verbatim French wording (Guedeney & Fermanian 1998)', () => {
    const fr = getEpdsInstrument('fr');
    expect(fr.items[0]?.text).toBe("J'ai pu rire et prendre les choses du bon côté");
    expect(fr.items[0]?.options.map((option) => option.text)).toEqual([
      "Aussi souvent que d'habitude",
      'Pas tout-à-fait autant',
      'Vraiment beaucoup moins souvent ces jours-ci',
      'Absolument pas',
    ]);
    expect(fr.items[9]?.text).toBe("Il m'est arrivé de penser à me faire du mal");
    expect(fr.items[9]?.options.map((option) => option.text)).toEqual([
      'Oui, très souvent',
      'Parfois',
      'Presque jamais',
      'Jamais',
    ]);
  });

  it('finds a definition by language and version', () => {
    expect(findEpdsInstrument('fr', '1.0')).toBe(getEpdsInstrument('fr'));
    expect(findEpdsInstrument('en', '1.0')?.language).toBe('en');
    expect(findEpdsInstrument('en', '0.9')).toBeUndefined();
    expect(findEpdsInstrument('de', '1.0')).toBeUndefined();
  });

  it('resolves a parent language, French when no validated text exists', () => {
    expect(isEpdsLanguage('en')).toBe(true);
    expect(isEpdsLanguage('de')).toBe(false);
    expect(isEpdsLanguage(1)).toBe(false);
    expect(resolveEpdsLanguage('en-GB')).toBe('en');
    expect(resolveEpdsLanguage('FR_fr')).toBe('fr');
    expect(resolveEpdsLanguage('ar')).toBe('fr');
    expect(resolveEpdsLanguage(null)).toBe('fr');
    expect(resolveEpdsLanguage(undefined)).toBe('fr');
  });

  describe('checkEpdsInstrument', () => {
    const en = getEpdsInstrument('en');

    it('accepts a right-to-left definition', () => {
      expect(checkEpdsInstrument({ ...en, direction: 'rtl' })).toEqual([]);
    });

    it('reports broken definitions', () => {
      const broken: EpdsInstrument = {
        ...en,
        title: ' ',
        items: [
          { number: 2, text: 'x', options: [{ text: 'a', points: 0 }] },
          {
            number: 2,
            text: '',
            options: [
              { text: 'a', points: 0 },
              { text: 'b', points: 2 },
              { text: 'c', points: 1 },
              { text: '', points: 3 },
            ],
          },
        ],
      };
      expect(checkEpdsInstrument(broken)).toEqual([
        'title is empty',
        'expected 10 items, got 2',
        'items[0].number must be 1',
        'items[0] must have 4 options',
        'items[1].text is empty',
        'items[1] has an empty option',
        'items[1] points must be 0,1,2,3 or 3,2,1,0 (got 0,2,1,3)',
      ]);
    });
  });
});

describe('EPDS page text', () => {
  it('has every string, non-empty, in every language', () => {
    const keys = Object.keys(EPDS_UI_TEXT.fr).sort();
    for (const language of SUPPORTED_EPDS_LANGUAGES) {
      const text = getEpdsUiText(language);
      expect(Object.keys(text).sort()).toEqual(keys);
      for (const key of Object.keys(text) as (keyof EpdsUiText)[]) expect(text[key].trim()).not.toBe('');
    }
    expect(getEpdsUiText('fr').answerRequired).toBe('Veuillez répondre à cette question.');
    expect(getEpdsUiText('en').answerRequired).toBe('Please answer this question.');
    expect(getEpdsUiText('fr').languageName).toBe('Français');
    expect(getEpdsUiText('en').languageName).toBe('English');
  });

  it('fills placeholders', () => {
    expect(formatUiText(getEpdsUiText('fr').questionLabel, { number: 3, total: 10 })).toBe(
      'Question 3 sur 10',
    );
    expect(formatUiText(getEpdsUiText('en').questionLabel, { number: 3, total: 10 })).toBe(
      'Question 3 of 10',
    );
    expect(formatUiText('{a} {b}', { a: 'x' })).toBe('x {b}');
  });
});

describe('EPDS wordings (grammatical variants, beside the validated text)', () => {
  const fr = getEpdsInstrument('fr');
  const en = getEpdsInstrument('en');
  const allText = (instrument: EpdsInstrument): string =>
    [
      instrument.instructions,
      ...instrument.items.flatMap((item) => [item.text, ...item.options.map((o) => o.text)]),
    ].join('\n');

  it('keeps the validated French text verbatim (feminine, paper instruction)', () => {
    expect(fr.items[1]?.text).toBe("Je me suis sentie confiante et joyeuse en pensant à l'avenir");
    expect(fr.instructions).toContain('en soulignant la réponse');
  });

  it('starts a page in the wording of the parent’s role', () => {
    expect(epdsWordingForRole('mother')).toBe('feminine');
    expect(epdsWordingForRole('father')).toBe('masculine');
    expect(epdsWordingForRole('co_parent')).toBe('inclusive');
    expect(epdsWordingForRole(null)).toBe('feminine');
  });

  it.each(EPDS_WORDINGS)(
    '%s: says "en cochant" on screen, keeps every point and order, passes the checks',
    (wording) => {
      const worded = wordEpdsInstrument(fr, wording);
      expect(checkEpdsInstrument(worded)).toEqual([]);
      expect(worded.instructions).toContain('en cochant la réponse');
      expect(worded.instructions).not.toContain('soulignant');
      expect(worded.version).toBe(fr.version);
      expect(worded.items.map((item) => item.options.map((option) => option.points))).toEqual(
        fr.items.map((item) => item.options.map((option) => option.points)),
      );
      // Scoring reads points only: the same answers score the same whatever the wording.
      const answers = [1, 2, 0, 3, 1, 2, 0, 1, 2, 3];
      const pointsIn = (instrument: EpdsInstrument) =>
        instrument.items.map((item, index) => item.options[answers[index]!]!.points);
      expect(pointsIn(worded)).toEqual(pointsIn(fr));
      expect(allText(worded)).not.toMatch(/[·•]/);
    },
  );

  it('addresses a father in the masculine and a co-parent without agreement or median dot', () => {
    const masculine = allText(wordEpdsInstrument(fr, 'masculine'));
    expect(masculine).toContain('Je me suis senti confiant et joyeux');
    expect(masculine).not.toMatch(/sentie|inquiète|effrayée|dépassée|malheureuse|reprochée/);
    const inclusive = allText(wordEpdsInstrument(fr, 'inclusive'));
    expect(inclusive).not.toMatch(/\bsentie?\b|reprochée|dépassée?\b/);
    expect(inclusive).toContain('malheureux ou malheureuse');
    expect(allText(wordEpdsInstrument(fr, 'feminine'))).toContain('Je me suis sentie confiante et joyeuse');
  });

  it('English: no "As you are pregnant" on screen, whatever the wording, items unchanged', () => {
    expect(en.instructions).toContain('As you are pregnant'); // the validated text stays verbatim
    for (const wording of EPDS_WORDINGS) {
      const worded = wordEpdsInstrument(en, wording);
      expect(worded.instructions).not.toMatch(/pregnant/i);
      expect(worded.instructions).toMatch(/^As you have recently had a baby/);
      expect(worded.items).toEqual(en.items);
    }
    expect(hasEpdsItemWordings(en)).toBe(false);
    expect(hasEpdsItemWordings(fr)).toBe(true);
  });

  it('names a wording with too few items', () => {
    const broken: EpdsInstrument = {
      ...fr,
      wordings: {
        ...fr.wordings!,
        masculine: { instructions: 'x', items: fr.wordings!.masculine.items!.slice(1) },
      },
    };
    expect(checkEpdsInstrument(broken)).toContain('wordings.masculine must have 10 items');
  });
});
