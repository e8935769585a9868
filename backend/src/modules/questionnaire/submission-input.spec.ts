import { parseFormSubmission, parseJsonSubmission, queryLanguage } from './submission-input.js';

const VALID = [0, 1, 2, 3, 0, 1, 2, 3, 0, 1];

describe('parseJsonSubmission', () => {
  it('accepts 10 option indexes, with or without a language', () => {
    expect(parseJsonSubmission({ answers: VALID })).toEqual({ ok: true, answers: VALID, language: null });
    expect(parseJsonSubmission({ answers: VALID, language: 'en' })).toEqual({
      ok: true,
      answers: VALID,
      language: 'en',
    });
  });

  it.each<[unknown, string[]]>([
    [undefined, ['body']],
    [null, ['body']],
    ['text', ['body']],
    [[VALID], ['body']],
    [{}, ['answers']],
    [{ answers: {} }, ['answers']],
    [{ answers: VALID.slice(1) }, ['answers']],
    [{ answers: [...VALID, 1] }, ['answers']],
    [{ answers: VALID.map((value, index) => (index === 3 ? 4 : value)) }, ['answers[3]']],
    [{ answers: VALID.map((value, index) => (index === 7 ? '1' : value)) }, ['answers[7]']],
    [{ answers: VALID.map((value, index) => (index === 0 ? Number.NaN : value)) }, ['answers[0]']],
    [{ answers: VALID, language: 'EN' }, ['language']],
    [{ answers: VALID, language: null }, ['language']],
    [{ answers: VALID, extra: true, other: 1 }, ['extra', 'other']],
  ])('%p is refused naming %p', (body, fields) => {
    const result = parseJsonSubmission(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((error) => error.field)).toEqual(fields);
  });
});

describe('parseFormSubmission', () => {
  const form = (overrides: Record<string, unknown> = {}) => ({
    lang: 'fr',
    ...Object.fromEntries(VALID.map((value, index) => [`q${index + 1}`, String(value)])),
    ...overrides,
  });

  it('reads q1..q10 and lang', () => {
    expect(parseFormSubmission(form())).toEqual({
      answers: VALID,
      missing: [],
      unexpected: false,
      language: 'fr',
      wording: null,
    });
  });

  it('reads the page wording (v) without counting it as unexpected; an unknown one is ignored', () => {
    expect(parseFormSubmission(form({ v: 'masculine' }))).toMatchObject({
      wording: 'masculine',
      unexpected: false,
    });
    expect(parseFormSubmission(form({ v: 'neutral' }))).toMatchObject({ wording: null, unexpected: false });
  });

  it.each<[Record<string, unknown>, number[]]>([
    [{ q2: undefined }, [2]],
    [{ q2: '' }, [2]],
    [{ q3: '4' }, [3]],
    [{ q4: '-0' }, [4]],
    [{ q5: ' 1' }, [5]],
    [{ q6: ['1', '2'] }, [6]],
    [{ q7: 1 }, [7]],
    [{ q1: 'x', q10: '10' }, [1, 10]],
  ])('%p leaves %p unanswered, keeping the others', (overrides, missing) => {
    const result = parseFormSubmission(form(overrides));
    expect(result.missing).toEqual(missing);
    result.answers.forEach((answer, index) =>
      expect(answer).toBe(missing.includes(index + 1) ? undefined : VALID[index]),
    );
  });

  it('notices fields the page never sends', () => {
    expect(parseFormSubmission(form({ score: '0' })).unexpected).toBe(true);
    expect(parseFormSubmission(form({ q11: '0' })).unexpected).toBe(true);
  });

  it('survives any body', () => {
    for (const body of [undefined, null, 'q1=0', [], 42]) {
      expect(parseFormSubmission(body)).toMatchObject({
        missing: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        language: null,
      });
    }
  });

  it('ignores an unsupported language', () => {
    expect(parseFormSubmission(form({ lang: 'de' })).language).toBeNull();
    expect(queryLanguage(['en'])).toBeNull();
    expect(queryLanguage('en')).toBe('en');
  });
});
