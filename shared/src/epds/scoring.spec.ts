import { DEFAULT_ORGANISATION_SETTINGS } from '../organisation-settings.js';
import { epdsBand, getEpdsInstrument, scoreEpds, validateEpdsAnswers, type EpdsInstrument } from './index.js';

const en = getEpdsInstrument('en');
const fr = getEpdsInstrument('fr');
const { mother, father, co_parent } = DEFAULT_ORGANISATION_SETTINGS.thresholds;
const anxietyThreshold = DEFAULT_ORGANISATION_SETTINGS.anxietyThreshold;

const scoreFor = (answers: number[], thresholds = mother) =>
  scoreEpds(answers, en, thresholds, anxietyThreshold);

describe('scoreEpds', () => {
  // Expected numbers are worked out by hand from the option points (items 1, 2, 4: index = points;
  // items 3, 5-10: points = 3 - index).
  it.each([
    // answers                          itemPoints                        total anxiety item10
    [[0, 0, 3, 0, 3, 3, 3, 3, 3, 3], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0, 0, false],
    [[3, 3, 0, 3, 0, 0, 0, 0, 0, 0], [3, 3, 3, 3, 3, 3, 3, 3, 3, 3], 30, 9, true],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 3, 0, 3, 3, 3, 3, 3, 3], 21, 6, true],
    [[3, 3, 3, 3, 3, 3, 3, 3, 3, 3], [3, 3, 0, 3, 0, 0, 0, 0, 0, 0], 9, 3, false],
    [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 2, 1, 2, 2, 2, 2, 2, 2], 17, 5, true],
    [[2, 2, 2, 2, 2, 2, 2, 2, 2, 2], [2, 2, 1, 2, 1, 1, 1, 1, 1, 1], 13, 4, true],
    [[1, 0, 2, 3, 1, 2, 3, 2, 3, 3], [1, 0, 1, 3, 2, 1, 0, 1, 0, 0], 9, 6, false],
    [[3, 2, 0, 1, 0, 1, 2, 3, 1, 3], [3, 2, 3, 1, 3, 2, 1, 0, 2, 0], 17, 7, false],
    [[0, 1, 3, 2, 3, 0, 1, 3, 2, 3], [0, 1, 0, 2, 0, 3, 2, 0, 1, 0], 9, 2, false],
  ])('scores %j', (answers, itemPoints, total, anxietyScore, item10Positive) => {
    const score = scoreFor(answers);
    expect(score.itemPoints).toEqual(itemPoints);
    expect(score.total).toBe(total);
    expect(score.anxietyScore).toBe(anxietyScore);
    expect(score.item10Positive).toBe(item10Positive);
  });

  // The two ends of the scale: every item worth no point, then every item worth the most (3).
  it.each([
    { worth: 'no point', answers: [0, 0, 3, 0, 3, 3, 3, 3, 3, 3], points: 0, band: 'low', flagged: false },
    { worth: 'the most', answers: [3, 3, 0, 3, 0, 0, 0, 0, 0, 0], points: 3, band: 'high', flagged: true },
  ])('gives $band for the answers worth $worth', ({ answers, points, band, flagged }) => {
    expect(scoreFor(answers)).toEqual({
      total: points * 10,
      itemPoints: Array.from({ length: 10 }, () => points),
      band,
      item10Positive: flagged,
      anxietyScore: points * 3,
      anxietyFlag: flagged,
    });
  });

  describe('item 10: any answer other than "Never" is positive', () => {
    const zero = [0, 0, 3, 0, 3, 3, 3, 3, 3];
    it.each([
      [0, 'Yes, quite often', 3, true],
      [1, 'Sometimes', 2, true],
      [2, 'Hardly ever', 1, true],
      [3, 'Never', 0, false],
    ])('option %i (%s) is worth %i points, positive: %s', (index, text, points, positive) => {
      expect(en.items[9]?.options[index]?.text).toBe(text);
      const score = scoreFor([...zero, index]);
      expect(score.itemPoints[9]).toBe(points);
      expect(score.total).toBe(points);
      expect(score.item10Positive).toBe(positive);
      // A low total does not hide it.
      expect(score.band).toBe('low');
    });
  });

  // Vectors with item 10 at "Never", totals worked out by hand.
  const withTotal: Record<number, number[]> = {
    9: [3, 3, 0, 0, 3, 3, 3, 3, 3, 3], // 3 + 3 + 3
    10: [3, 3, 0, 1, 3, 3, 3, 3, 3, 3], // 3 + 3 + 3 + 1
    11: [3, 3, 0, 1, 3, 2, 3, 3, 3, 3], // 3 + 3 + 3 + 1 + 1
    12: [3, 3, 0, 1, 3, 1, 3, 3, 3, 3], // 3 + 3 + 3 + 1 + 2
    13: [3, 3, 0, 1, 3, 0, 3, 3, 3, 3], // 3 + 3 + 3 + 1 + 3
  };
  const answersFor = (total: number): number[] => {
    const answers = withTotal[total];
    if (!answers) throw new Error(`no vector for ${total}`);
    return answers;
  };

  it('uses the default thresholds of the brief', () => {
    expect(mother).toEqual({ moderate: 11, high: 13 });
    expect(father).toEqual({ moderate: 10, high: 12 });
    expect(co_parent).toEqual({ moderate: 10, high: 12 });
    expect(anxietyThreshold).toBe(5);
  });

  it.each([
    [10, 'low'],
    [11, 'moderate'],
    [12, 'moderate'],
    [13, 'high'],
  ] as const)('mothers: %i is %s', (total, band) => {
    const score = scoreFor(answersFor(total), mother);
    expect(score.total).toBe(total);
    expect(score.band).toBe(band);
    expect(score.item10Positive).toBe(false);
  });

  it.each([
    [9, 'low'],
    [10, 'moderate'],
    [11, 'moderate'],
    [12, 'high'],
  ] as const)('fathers and co-parents: %i is %s', (total, band) => {
    expect(scoreFor(answersFor(total), father)).toMatchObject({ total, band });
    expect(scoreFor(answersFor(total), co_parent)).toMatchObject({ total, band });
  });

  it.each([
    [[0, 0, 1, 2, 3, 3, 3, 3, 3, 3], 4, false], // item 3: 2, item 4: 2, item 5: 0
    [[0, 0, 1, 2, 2, 3, 3, 3, 3, 3], 5, true], // item 3: 2, item 4: 2, item 5: 1
  ])('EPDS-3A anxiety: %j scores %i, flag %s', (answers, anxietyScore, anxietyFlag) => {
    const score = scoreFor(answers);
    expect(score.anxietyScore).toBe(anxietyScore);
    expect(score.anxietyFlag).toBe(anxietyFlag);
    // The anxiety items alone stay under the depression thresholds.
    expect(score.total).toBe(anxietyScore);
    expect(score.band).toBe('low');
  });

  it('honours an organisation-specific anxiety threshold', () => {
    expect(scoreEpds([0, 0, 1, 2, 3, 3, 3, 3, 3, 3], en, mother, 4).anxietyFlag).toBe(true);
  });

  it('scores the same in every language', () => {
    const answers = [1, 0, 2, 3, 1, 2, 3, 2, 3, 3];
    expect(scoreEpds(answers, fr, mother, 5)).toEqual(scoreEpds(answers, en, mother, 5));
  });

  it('takes the points from the instrument data, not from code', () => {
    // A hypothetical definition whose item 1 is worded the other way round.
    const flipped: EpdsInstrument = {
      ...en,
      items: en.items.map((item) =>
        item.number === 1 ? { ...item, options: [...item.options].reverse() } : item,
      ),
    };
    expect(scoreEpds([0, 0, 3, 0, 3, 3, 3, 3, 3, 3], flipped, mother, 5).total).toBe(3);
  });

  it('rejects answers that validation would refuse', () => {
    expect(() => scoreFor([0, 0, 0])).toThrow(RangeError);
    expect(() => scoreFor([0, 0, 0, 0, 0, 0, 0, 0, 0, 4])).toThrow('answers[9]');
    expect(() => scoreFor([0, 0, 0, 0, 0, 0, 0, 0, 0, 1.5])).toThrow(RangeError);
    expect(() => scoreFor([0, 0, 0, 0, 0, 0, 0, 0, 0, -1])).toThrow(RangeError);
  });
});

describe('epdsBand', () => {
  it('is inclusive at both thresholds', () => {
    expect(epdsBand(0, mother)).toBe('low');
    expect(epdsBand(10, mother)).toBe('low');
    expect(epdsBand(11, mother)).toBe('moderate');
    expect(epdsBand(13, mother)).toBe('high');
    expect(epdsBand(30, mother)).toBe('high');
  });
});

describe('validateEpdsAnswers', () => {
  it('accepts 10 integers from 0 to 3', () => {
    expect(validateEpdsAnswers([0, 1, 2, 3, 0, 1, 2, 3, 0, 1])).toEqual({
      ok: true,
      answers: [0, 1, 2, 3, 0, 1, 2, 3, 0, 1],
    });
  });

  it.each([undefined, null, 'a string', 42, { 0: 1 }])('rejects %p: not an array', (input) => {
    expect(validateEpdsAnswers(input)).toEqual({
      ok: false,
      errors: [{ field: 'answers', message: 'must be an array of 10 answers' }],
    });
  });

  it('rejects a wrong length', () => {
    expect(validateEpdsAnswers([])).toEqual({
      ok: false,
      errors: [{ field: 'answers', message: 'must contain exactly 10 answers (got 0)' }],
    });
    expect(validateEpdsAnswers([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toEqual({
      ok: false,
      errors: [{ field: 'answers', message: 'must contain exactly 10 answers (got 11)' }],
    });
  });

  it('names each bad answer', () => {
    expect(validateEpdsAnswers([0, 1, 2, 4, -1, 1.5, '2', null, Number.NaN, 3])).toEqual({
      ok: false,
      errors: [
        { field: 'answers[3]', message: 'must be between 0 and 3 (got 4)' },
        { field: 'answers[4]', message: 'must be between 0 and 3 (got -1)' },
        { field: 'answers[5]', message: 'must be an integer from 0 to 3' },
        { field: 'answers[6]', message: 'must be an integer from 0 to 3' },
        { field: 'answers[7]', message: 'must be an integer from 0 to 3' },
        { field: 'answers[8]', message: 'must be an integer from 0 to 3' },
      ],
    });
  });

  it('reports the length and the bad answers together', () => {
    const result = validateEpdsAnswers([0, 7]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((error) => error.field)).toEqual(['answers', 'answers[1]']);
    }
  });

  it('treats holes of a sparse array as missing answers', () => {
    const sparse: number[] = new Array<number>(10);
    sparse.fill(0, 0, 9);
    expect(validateEpdsAnswers(sparse)).toEqual({
      ok: false,
      errors: [{ field: 'answers[9]', message: 'must be an integer from 0 to 3' }],
    });
  });

  it('rejects Infinity', () => {
    const result = validateEpdsAnswers([0, 0, 0, 0, 0, 0, 0, 0, 0, Number.POSITIVE_INFINITY]);
    expect(result).toEqual({
      ok: false,
      errors: [{ field: 'answers[9]', message: 'must be an integer from 0 to 3' }],
    });
  });
});
