import { DEFAULT_ORGANISATION_SETTINGS } from '../organisation-settings.js';
import { analyseSms } from './gsm7.js';
import {
  FORBIDDEN_SMS_WORDS,
  checkSmsTemplate,
  smsTemplateProblems,
  findForbiddenSmsWords,
  renderSmsTemplate,
} from './template.js';

// A 30-character organisation name and a 40-character link, as the brief sizes them.
const organisation = 'Maternité des Lilas, Paris 20e';
const link = 'https://lien.example.fr/q/AbCdEfGh123456';

describe('renderSmsTemplate', () => {
  it('replaces every placeholder', () => {
    expect(
      renderSmsTemplate('{organisation}: {link} ({organisation})', { organisation: 'PMI', link: 'x' }),
    ).toBe('PMI: x (PMI)');
  });

  it('does not expand placeholders found inside values', () => {
    expect(renderSmsTemplate('{organisation} {link}', { organisation: '{link}', link: 'https://a/b' })).toBe(
      '{link} https://a/b',
    );
  });

  it('keeps "$" patterns of values literal and other braces untouched', () => {
    expect(renderSmsTemplate('{name} {organisation} {link}', { organisation: "$& $'", link: '$1' })).toBe(
      "{name} $& $' $1",
    );
  });
});

describe('findForbiddenSmsWords', () => {
  it.each([
    ['Votre résultat EPDS', ['résultat', 'EPDS']],
    ['VOS RÉSULTATS', ['RÉSULTATS']],
    ['Your results', ['results']],
    ['dépistage de la Dépression', ['Dépression']],
    ['depression, dépressive', ['depression', 'dépressive']],
    ['PMI de Moselle', ['PMI']],
    ['pmi', ['pmi']],
    ['votre bébé va bien', ['bébé']],
    ['Bebe', ['Bebe']],
    ['your baby and other babies', ['baby', 'babies']],
    ['score: 12', ['score']],
    ['un psy, une psychologue', ['psy', 'psychologue']],
    ['Santé mentale', ['Santé mentale']],
    ['SANTE  MENTALE', ['SANTE  MENTALE']],
    ['mental health', ['mental health']],
    ['suicide', ['suicide']],
    ['idées suicidaires', ['suicidaires']],
  ])('finds the health words of %p', (text, words) => {
    expect(findForbiddenSmsWords(text)).toEqual(words);
  });

  it('reports each word once', () => {
    expect(findForbiddenSmsWords('score, Score, SCORE')).toEqual(['score']);
  });

  it('matches at the start of words only', () => {
    expect(findForbiddenSmsWords('tipsy autopsy xpmi superscore')).toEqual([]);
  });

  it('covers every word of the list', () => {
    for (const word of FORBIDDEN_SMS_WORDS) expect(findForbiddenSmsWords(`a ${word} b`)).toEqual([word]);
  });

  it('passes neutral text', () => {
    expect(
      findForbiddenSmsWords('Bonjour, comment allez-vous ? Quelques questions : https://x.fr/q/abc'),
    ).toEqual([]);
  });
});

describe('default SMS templates', () => {
  const templates = Object.entries(DEFAULT_ORGANISATION_SETTINGS.smsTemplates).flatMap(([language, kinds]) =>
    Object.entries(kinds).map(([kind, template]) => [`${language} ${kind}`, template] as const),
  );

  it('are sized as the brief asks', () => {
    expect(organisation).toHaveLength(30);
    expect(link).toHaveLength(40);
    expect(templates.map(([name]) => name)).toEqual([
      'fr invitation',
      'fr reminder',
      'en invitation',
      'en reminder',
    ]);
  });

  it.each(templates)('%s: one GSM-7 segment, no health word', (_name, template) => {
    expect(checkSmsTemplate(template)).toEqual([]);
    const text = renderSmsTemplate(template, { organisation, link });
    expect(text).toContain(organisation);
    expect(text).toContain(link);
    const analysis = analyseSms(text);
    expect(analysis).toMatchObject({ encoding: 'GSM-7', segments: 1, nonGsmCharacters: [] });
    expect(analysis.units).toBeLessThanOrEqual(160);
    expect(findForbiddenSmsWords(text)).toEqual([]);
  });
});

describe('smsTemplateProblems', () => {
  it('gives each problem as a value, in the order the API lists them', () => {
    expect(smsTemplateProblems('{organisation} : {link}')).toEqual([]);
    expect(smsTemplateProblems('Résultat {nom}')).toEqual([
      { kind: 'missingLink' },
      { kind: 'unknownPlaceholder', name: 'nom' },
      { kind: 'forbiddenWord', word: 'Résultat' },
    ]);
  });
});

describe('checkSmsTemplate', () => {
  it('requires the link', () => {
    expect(checkSmsTemplate('{organisation}: bonjour')).toEqual(['the template must contain {link}']);
  });

  it('rejects unknown placeholders', () => {
    expect(checkSmsTemplate('{org}: {link} {}')).toEqual([
      'unknown placeholder {org}',
      'unknown placeholder {}',
    ]);
  });

  it('rejects health words', () => {
    expect(checkSmsTemplate('Votre résultat : {link}')).toEqual(['forbidden word "résultat"']);
  });
});
