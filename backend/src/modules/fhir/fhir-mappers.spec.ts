import {
  ALERT_STATUSES,
  DEFAULT_ORGANISATION_SETTINGS,
  getEpdsInstrument,
  scoreEpds,
  SUPPORTED_EPDS_LANGUAGES,
  type AlertStatus,
  type EpdsLanguage,
} from '@lien/shared';
import { DomainError } from '../../common/errors.js';
import { fhirBundleValidationErrors, fhirValidationErrors } from '../../testing/fhir-validation.js';
import { LOINC, ORDINAL_VALUE, type QuestionnaireItem } from './fhir-types.js';
import { toSearchBundle } from './mappers/bundle.mapper.js';
import { READABLE_TYPES, toCapabilityStatement } from './mappers/capability-statement.mapper.js';
import {
  toFlag,
  toObservation,
  toQuestionnaireResponse,
  type ResponseRecord,
} from './mappers/clinical.mapper.js';
import { isFhirPath, toOperationOutcome } from './mappers/operation-outcome.js';
import { toPatient } from './mappers/patient.mapper.js';
import { toQuestionnaire } from './mappers/questionnaire.mapper.js';
import { alertStatusesFor, TASK_STATUS, toTask, type AlertRecord } from './mappers/task.mapper.js';
import { MAX_COUNT, parseFhirDate, parseSearch, SEARCH_PARAMETERS } from './search-params.js';

const BASE = 'https://lien.example';
const thresholds = DEFAULT_ORGANISATION_SETTINGS.thresholds.mother;

/** Option index worth `points` on each item (from the instrument data, never hard-coded). */
function answersWorth(points: number[], language: EpdsLanguage = 'fr'): number[] {
  return getEpdsInstrument(language).items.map((item, index) =>
    item.options.findIndex((option) => option.points === points[index]),
  );
}

function record(
  answers: number[],
  overrides: Partial<ResponseRecord> = {},
  language: EpdsLanguage = 'fr',
): ResponseRecord {
  const instrument = getEpdsInstrument(language);
  const score = scoreEpds(answers, instrument, thresholds, DEFAULT_ORGANISATION_SETTINGS.anxietyThreshold);
  return {
    id: '7a0c4d9e-2f4b-4f0e-9d7a-1b2c3d4e5f60',
    parentId: '0d1e2f30-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
    instrumentVersion: instrument.version,
    language,
    answers,
    itemPoints: score.itemPoints,
    score: score.total,
    band: score.band,
    item10Positive: score.item10Positive,
    createdAt: new Date('2026-03-02T09:30:00Z'),
    alertStatus: null,
    alertClosedAt: null,
    ...overrides,
  };
}

const ITEM10_POSITIVE = answersWorth([1, 1, 2, 1, 1, 2, 1, 1, 1, 2]);
const LOW = answersWorth([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);

describe('FHIR mappers', () => {
  it('the validator used by these specs does report errors (so "zero errors" means something)', () => {
    const observation = { ...toObservation(record(LOW)), valueInteger: 'twelve', bogus: true };
    expect(fhirValidationErrors(observation).length).toBeGreaterThan(0);
  });

  describe.each(SUPPORTED_EPDS_LANGUAGES)('Questionnaire epds-%s', (language) => {
    const instrument = getEpdsInstrument(language);
    const questionnaire = toQuestionnaire(instrument, BASE);
    const choices = questionnaire.item.filter((item) => item.type === 'choice');

    it('validates against FHIR R4 with zero errors', () => {
      expect(fhirValidationErrors(questionnaire)).toEqual([]);
    });

    it('takes every text from the versioned instrument, in its language and version', () => {
      expect(questionnaire).toMatchObject({
        id: `epds-${language}`,
        language,
        version: instrument.version,
        title: instrument.title,
        url: `${BASE}/fhir/Questionnaire/epds-${language}`,
        copyright: instrument.citation,
      });
      expect(questionnaire.item.map((item) => item.text)).toEqual(
        expect.arrayContaining([instrument.instructions, instrument.itemsLeadIn]),
      );
      expect(choices.map((item) => item.text)).toEqual(instrument.items.map((item) => item.text));
      choices.forEach((item, index) => {
        expect(item.answerOption?.map((option) => option.valueCoding.display)).toEqual(
          instrument.items[index]?.options.map((option) => option.text),
        );
      });
    });

    it('carries the points of each option as ordinalValue, options in canonical order', () => {
      choices.forEach((item: QuestionnaireItem, index) => {
        const points = item.answerOption?.map(
          (option) => option.extension?.find((extension) => extension.url === ORDINAL_VALUE)?.valueDecimal,
        );
        expect(points).toEqual(instrument.items[index]?.options.map((option) => option.points));
        expect(item.answerOption?.map((option) => option.valueCoding.code)).toEqual(
          [0, 1, 2, 3].map((optionIndex) => `${index + 1}.${optionIndex}`),
        );
      });
    });

    it('is coded with the LOINC EPDS panel and the total score, and no unconfirmed item codes', () => {
      expect(questionnaire.code).toEqual([expect.objectContaining({ system: LOINC, code: '71354-5' })]);
      const total = questionnaire.item.find((item) => item.linkId === 'total-score');
      expect(total).toMatchObject({ type: 'integer', readOnly: true });
      expect(total?.code).toEqual([expect.objectContaining({ system: LOINC, code: '99046-5' })]);
      expect(choices.every((item) => item.code === undefined)).toBe(true);
    });
  });

  describe('responses', () => {
    it('QuestionnaireResponse: answers as the Questionnaire codes with their points, version and language', () => {
      const response = record(ITEM10_POSITIVE, {}, 'en');
      const resource = toQuestionnaireResponse(response, BASE);
      expect(fhirValidationErrors(resource)).toEqual([]);
      expect(resource).toMatchObject({
        language: 'en',
        questionnaire: `${BASE}/fhir/Questionnaire/epds-en|${response.instrumentVersion}`,
        status: 'completed',
        subject: { reference: `Patient/${response.parentId}` },
        authored: '2026-03-02T09:30:00.000Z',
      });
      const instrument = getEpdsInstrument('en');
      const items = resource.item.slice(0, 10);
      expect(items.map((item) => item.answer?.[0]?.valueCoding?.code)).toEqual(
        ITEM10_POSITIVE.map((answer, index) => `${index + 1}.${answer}`),
      );
      expect(items.map((item) => item.answer?.[0]?.valueCoding?.display)).toEqual(
        ITEM10_POSITIVE.map((answer, index) => instrument.items[index]?.options[answer]?.text),
      );
      expect(items.map((item) => item.answer?.[0]?.valueCoding?.extension?.[0]?.valueDecimal)).toEqual(
        response.itemPoints,
      );
      expect(resource.item[10]).toEqual(
        expect.objectContaining({ linkId: 'total-score', answer: [{ valueInteger: response.score }] }),
      );
    });

    it('Observation: LOINC 99046-5, valueInteger, interpretation from the band, derived from the response', () => {
      for (const answers of [LOW, ITEM10_POSITIVE, answersWorth([3, 3, 3, 3, 3, 3, 3, 3, 3, 0])]) {
        const response = record(answers);
        const observation = toObservation(response);
        expect(fhirValidationErrors(observation)).toEqual([]);
        expect(observation.code.coding).toEqual([
          expect.objectContaining({ system: LOINC, code: '99046-5' }),
        ]);
        expect(observation.valueInteger).toBe(response.score);
        expect(observation.interpretation[0]?.coding?.[0]?.code).toBe(
          { low: 'N', moderate: 'A', high: 'H' }[response.band],
        );
        expect(observation.derivedFrom).toEqual([{ reference: `QuestionnaireResponse/${response.id}` }]);
      }
    });

    it('Flag: only for item 10 positive, active until its alert is closed', () => {
      expect(toFlag(record(LOW), BASE)).toBeNull();
      const open = toFlag(record(ITEM10_POSITIVE, { alertStatus: 'acknowledged' }), BASE);
      expect(open).toMatchObject({ status: 'active', period: { start: '2026-03-02T09:30:00.000Z' } });
      expect(open?.period.end).toBeUndefined();
      expect(fhirValidationErrors(open)).toEqual([]);
      const closedAt = new Date('2026-03-05T10:00:00Z');
      const closed = toFlag(
        record(ITEM10_POSITIVE, { alertStatus: 'closed', alertClosedAt: closedAt }),
        BASE,
      );
      expect(closed).toMatchObject({ status: 'inactive', period: { end: closedAt.toISOString() } });
      expect(fhirValidationErrors(closed)).toEqual([]);
    });
  });

  it('Patient: identifier and name only', () => {
    const patient = toPatient(
      {
        id: '0d1e2f30-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
        status: 'active',
        language: 'fr',
        firstName: 'Camille',
        lastName: 'Martin',
        updatedAt: new Date('2026-03-01T00:00:00Z'),
      },
      BASE,
    );
    expect(fhirValidationErrors(patient)).toEqual([]);
    expect(patient.name).toEqual([{ use: 'official', family: 'Martin', given: ['Camille'] }]);
    expect(patient.identifier).toEqual([
      { use: 'usual', system: `${BASE}/fhir/sid/parent`, value: '0d1e2f30-4a5b-4c6d-8e7f-9a0b1c2d3e4f' },
    ]);
    expect(Object.keys(patient).sort()).toEqual(
      ['active', 'communication', 'id', 'identifier', 'meta', 'name', 'resourceType'].sort(),
    );
  });

  describe('Task', () => {
    const alert = (status: AlertStatus): AlertRecord => ({
      id: '11111111-2222-4333-8444-555555555555',
      parentId: '0d1e2f30-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
      status,
      severity: 'urgent',
      reasons: ['item10'],
      outcome: status === 'closed' ? 'in_care' : null,
      contactDueAt: new Date('2026-03-02T12:00:00Z'),
      createdAt: new Date('2026-03-02T09:30:00Z'),
      updatedAt: new Date('2026-03-02T10:00:00Z'),
      closedAt: status === 'closed' ? new Date('2026-03-04T10:00:00Z') : null,
    });

    it.each(ALERT_STATUSES)('maps the workflow status %s and validates', (status) => {
      const task = toTask(alert(status), BASE);
      expect(fhirValidationErrors(task)).toEqual([]);
      expect(task.status).toBe(TASK_STATUS[status]);
      expect(task.businessStatus.coding?.[0]?.code).toBe(status);
      expect(task.priority).toBe('stat');
      expect(task.for).toEqual({ reference: 'Patient/0d1e2f30-4a5b-4c6d-8e7f-9a0b1c2d3e4f' });
    });

    it('maps open alerts to live Task statuses and only closed ones to completed, and back', () => {
      expect(ALERT_STATUSES.filter((status) => TASK_STATUS[status] === 'completed')).toEqual(['closed']);
      expect(alertStatusesFor('requested')).toEqual(['open']);
      expect(alertStatusesFor('in-progress')).toEqual(['contacted', 'unreachable', 'referred', 'in_care']);
      expect(alertStatusesFor('cancelled')).toEqual([]);
    });
  });

  describe('search parameters', () => {
    const problem = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        if (error instanceof DomainError)
          return { kind: error.kind, code: error.code, details: error.details };
        throw error;
      }
      throw new Error('expected a DomainError');
    };

    it('refuses unknown parameters and modifiers, naming them', () => {
      expect(
        problem(() => parseSearch('Observation', { patient: 'x', 'patient:missing': 'true', foo: '1' })),
      ).toMatchObject({
        kind: 'invalid',
        code: 'unknown_search_parameter',
        details: [{ field: 'patient:missing' }, { field: 'foo' }],
      });
      expect(problem(() => parseSearch('Flag', { authored: 'ge2026-01-01' }))).toMatchObject({
        code: 'unknown_search_parameter',
      });
    });

    it('reads patient references, dates with prefixes, codes and statuses', () => {
      const id = '0D1E2F30-4A5B-4C6D-8E7F-9A0B1C2D3E4F';
      expect(
        parseSearch('QuestionnaireResponse', { patient: `Patient/${id}`, authored: 'ge2026-01-01' }),
      ).toEqual({
        patientId: id.toLowerCase(),
        dates: { from: new Date('2026-01-01T00:00:00Z'), to: undefined },
        codeMatches: true,
        count: 20,
        offset: 0,
      });
      expect(parseSearch('Observation', { date: ['gt2026-02', 'le2026-03-02T10:00Z'] }).dates).toEqual({
        from: new Date('2026-03-01T00:00:00Z'),
        to: new Date('2026-03-02T10:01:00Z'),
      });
      expect(parseSearch('Observation', { date: '2026' }).dates).toEqual({
        from: new Date('2026-01-01T00:00:00Z'),
        to: new Date('2027-01-01T00:00:00Z'),
      });
      expect(parseSearch('Observation', { code: 'http://loinc.org|99046-5' }).codeMatches).toBe(true);
      expect(parseSearch('Observation', { code: '1234-5,99046-5' }).codeMatches).toBe(true);
      expect(parseSearch('Observation', { code: 'http://snomed.info/sct|99046-5' }).codeMatches).toBe(false);
      expect(parseSearch('Task', { status: 'requested,accepted' }).alertStatuses).toEqual([
        'open',
        'acknowledged',
      ]);
      expect(parseSearch('Task', { _count: '500', _offset: '40' })).toMatchObject({
        count: MAX_COUNT,
        offset: 40,
      });
    });

    it('refuses bad values with a 400 naming the field', () => {
      for (const [type, query, field] of [
        ['QuestionnaireResponse', { authored: 'ge2026-02-30' }, 'authored'],
        ['QuestionnaireResponse', { authored: 'sa2026-01-01' }, 'authored'],
        ['Observation', { date: 'yesterday' }, 'date'],
        ['Observation', { patient: 'Patient/42' }, 'patient'],
        ['Observation', { patient: ['a', 'b'] }, 'patient'],
        ['Task', { status: 'done' }, 'status'],
        ['Task', { _count: '-1' }, '_count'],
        ['Flag', { _offset: 'x' }, '_offset'],
        ['Flag', { patient: '' }, 'patient'],
      ] as const) {
        expect(problem(() => parseSearch(type, query))).toMatchObject({
          kind: 'invalid',
          code: 'invalid_search',
          details: [expect.objectContaining({ field })],
        });
      }
    });

    it('parses FHIR dates at their precision', () => {
      expect(parseFhirDate('2026-02-29')).toBeNull();
      expect(parseFhirDate('2024-02-29')).toMatchObject({ prefix: 'eq' });
      expect(parseFhirDate('lt2026-03-02T10:00:00+01:00')).toEqual({
        prefix: 'lt',
        start: new Date('2026-03-02T09:00:00Z'),
        end: new Date('2026-03-02T09:00:01Z'),
      });
    });
  });

  it('searchset Bundle: total, entries and next/previous links that keep the search', () => {
    const resources = [
      toObservation(record(LOW)),
      toObservation(record(ITEM10_POSITIVE, { id: 'b'.repeat(8) })),
    ];
    const bundle = toSearchBundle(
      {
        type: 'Observation',
        resources,
        total: 5,
        count: 2,
        offset: 2,
        query: { patient: 'p1', _count: '2', _offset: '2' },
      },
      BASE,
    );
    expect(fhirBundleValidationErrors(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ type: 'searchset', total: 5 });
    expect(bundle.link).toEqual([
      { relation: 'self', url: `${BASE}/fhir/Observation?patient=p1&_count=2&_offset=2` },
      { relation: 'next', url: `${BASE}/fhir/Observation?patient=p1&_count=2&_offset=4` },
      { relation: 'previous', url: `${BASE}/fhir/Observation?patient=p1&_count=2&_offset=0` },
    ]);
    const last = toSearchBundle(
      { type: 'Observation', resources: [], total: 5, count: 2, offset: 4, query: {} },
      BASE,
    );
    expect(last.link.map((link) => link.relation)).toEqual(['self', 'previous']);
  });

  it('CapabilityStatement validates and lists exactly the supported reads and searches', () => {
    const statement = toCapabilityStatement(BASE) as {
      rest: {
        resource: { type: string; interaction: { code: string }[]; searchParam?: { name: string }[] }[];
      }[];
    };
    expect(fhirValidationErrors(statement)).toEqual([]);
    const resources = statement.rest[0]!.resource;
    expect(resources.map((resource) => resource.type)).toEqual([...READABLE_TYPES]);
    for (const resource of resources) {
      const params = (SEARCH_PARAMETERS as Record<string, readonly { name: string }[]>)[resource.type];
      expect(resource.interaction.map((interaction) => interaction.code)).toEqual(
        params ? ['read', 'search-type'] : ['read'],
      );
      expect(resource.searchParam?.map((param) => param.name)).toEqual(params?.map((param) => param.name));
    }
  });

  it('OperationOutcome from the house error, validating, one issue per named field', () => {
    const outcome = toOperationOutcome({
      statusCode: 400,
      error: 'Bad Request',
      code: 'unknown_search_parameter',
      message: 'Unknown search parameter "foo"',
      details: [{ field: 'foo', message: 'Unknown search parameter "foo"' }],
    });
    expect(fhirValidationErrors(outcome)).toEqual([]);
    expect(outcome.issue).toEqual([
      {
        severity: 'error',
        code: 'invalid',
        details: { text: 'Unknown search parameter "foo"' },
        diagnostics: 'unknown_search_parameter',
        expression: ['foo'],
      },
    ]);
    expect(
      toOperationOutcome({ statusCode: 404, error: 'Not Found', message: 'Flag not found' }).issue,
    ).toEqual([
      { severity: 'error', code: 'not-found', details: { text: 'Flag not found' }, diagnostics: 'Not Found' },
    ]);
    const crash = toOperationOutcome({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'An unexpected error occurred',
    });
    expect(crash.issue).toEqual([
      expect.objectContaining({
        severity: 'fatal',
        code: 'exception',
        details: { text: 'An unexpected error occurred' },
      }),
    ]);
    expect(fhirValidationErrors(crash)).toEqual([]);
    expect(
      toOperationOutcome({ statusCode: 429, error: 'Too Many Requests', message: 'slow down' }).issue[0]
        ?.code,
    ).toBe('throttled');
    expect(isFhirPath('/fhir/Patient/1')).toBe(true);
    expect(isFhirPath('/fhirish')).toBe(false);
  });
});
