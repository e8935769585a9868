import { DEFAULT_ORGANISATION_SETTINGS, allowedCloseOutcomes, type EpdsBand } from '@lien/shared';
import {
  computeDeadlines,
  evaluateResponse,
  isOverdue,
  mergeReasons,
  moreSevere,
  type AlertVerdict,
  type ResponseSignals,
} from './alert-rules.js';
import { allowedEvents, transition } from './alert-workflow.js';

describe('evaluateResponse', () => {
  const signals = (band: EpdsBand, item10Positive = false, anxietyFlag = false): ResponseSignals => ({
    band,
    item10Positive,
    anxietyFlag,
  });
  it.each<[string, ResponseSignals, AlertVerdict | null]>([
    ['low band without flags raises nothing', signals('low'), null],
    [
      'item 10 positive is urgent whatever the band: low',
      signals('low', true),
      { severity: 'urgent', reasons: ['item10'] },
    ],
    [
      'item 10 positive is urgent whatever the band: high, with anxiety',
      signals('high', true, true),
      { severity: 'urgent', reasons: ['item10', 'high_score', 'anxiety'] },
    ],
    ['high band is high', signals('high'), { severity: 'high', reasons: ['high_score'] }],
    ['moderate band is moderate', signals('moderate'), { severity: 'moderate', reasons: ['moderate_score'] }],
    [
      'anxiety alone is moderate',
      signals('low', false, true),
      { severity: 'moderate', reasons: ['anxiety'] },
    ],
  ])('%s', (_case, response, verdict) => {
    expect(evaluateResponse(response)).toEqual(verdict);
  });
  it('severity only goes up and reasons accumulate', () => {
    expect(moreSevere('moderate', 'urgent')).toBe('urgent');
    expect(moreSevere('urgent', 'low')).toBe('urgent');
    expect(moreSevere('low', 'moderate')).toBe('moderate');
    expect(mergeReasons(['moderate_score'], ['anxiety', 'moderate_score'])).toEqual([
      'moderate_score',
      'anxiety',
    ]);
  });
});

describe('computeDeadlines', () => {
  const paris = { timeZone: 'Europe/Paris', departement: '62' };
  it('urgent: 4 calendar hours to acknowledge and to contact', () => {
    const from = new Date('2026-03-06T17:00:00Z'); // a Friday
    const deadlines = computeDeadlines(from, DEFAULT_ORGANISATION_SETTINGS.deadlines.urgent, paris);
    expect(deadlines.acknowledgeDueAt.toISOString()).toBe('2026-03-06T21:00:00.000Z');
    expect(deadlines.contactDueAt.toISOString()).toBe('2026-03-06T21:00:00.000Z');
  });
  it('high: 2 working days to contact, skipping the weekend', () => {
    const from = new Date('2026-03-06T10:00:00Z'); // Friday 11:00 in Paris
    const deadlines = computeDeadlines(from, DEFAULT_ORGANISATION_SETTINGS.deadlines.high, paris);
    expect(deadlines.acknowledgeDueAt.toISOString()).toBe('2026-03-07T10:00:00.000Z');
    expect(deadlines.contactDueAt.toISOString()).toBe('2026-03-10T10:00:00.000Z'); // Tuesday
  });
  it('moderate: 5 working days skip a public holiday (1 May 2026 is a Friday)', () => {
    const from = new Date('2026-04-29T08:00:00Z'); // Wednesday
    const deadlines = computeDeadlines(from, DEFAULT_ORGANISATION_SETTINGS.deadlines.moderate, paris);
    // Thu 30, (Fri 1 May holiday), Mon 4, Tue 5, Wed 6, Thu 7
    expect(deadlines.contactDueAt.toISOString()).toBe('2026-05-07T08:00:00.000Z');
  });
  it('no answer: 7 days', () => {
    const from = new Date('2026-03-02T08:00:00Z');
    expect(
      computeDeadlines(from, DEFAULT_ORGANISATION_SETTINGS.deadlines.low, paris).contactDueAt.toISOString(),
    ).toBe('2026-03-09T08:00:00.000Z');
  });
  it('overdue is computed from the deadlines and the steps done', () => {
    const alert = {
      status: 'open',
      acknowledgeDueAt: new Date('2026-03-02T12:00:00Z'),
      contactDueAt: new Date('2026-03-03T12:00:00Z'),
      acknowledgedAt: null as Date | null,
      firstContactAt: null as Date | null,
    };
    expect(isOverdue(alert, new Date('2026-03-02T12:00:00Z'))).toBe(false);
    expect(isOverdue(alert, new Date('2026-03-02T12:00:01Z'))).toBe(true);
    expect(isOverdue({ ...alert, acknowledgedAt: new Date() }, new Date('2026-03-02T13:00:00Z'))).toBe(false);
    expect(isOverdue({ ...alert, acknowledgedAt: new Date() }, new Date('2026-03-03T13:00:00Z'))).toBe(true);
    expect(isOverdue({ ...alert, status: 'closed' }, new Date('2026-04-01T00:00:00Z'))).toBe(false);
  });
});

describe('follow-up state machine', () => {
  it('walks open → acknowledged → contacted → referred → in care → closed', () => {
    expect(transition({ status: 'open', type: 'acknowledge' })).toEqual({ ok: true, status: 'acknowledged' });
    expect(
      transition({ status: 'acknowledged', type: 'contact_attempt', contactOutcome: 'reached' }),
    ).toEqual({ ok: true, status: 'contacted' });
    expect(transition({ status: 'contacted', type: 'referral' })).toEqual({ ok: true, status: 'referred' });
    expect(transition({ status: 'referred', type: 'in_care' })).toEqual({ ok: true, status: 'in_care' });
    expect(transition({ status: 'in_care', type: 'close', closeOutcome: 'in_care' })).toEqual({
      ok: true,
      status: 'closed',
    });
  });
  it('becomes unreachable only after N unreachable attempts', () => {
    const base = {
      status: 'acknowledged' as const,
      type: 'contact_attempt' as const,
      contactOutcome: 'unreachable' as const,
      attemptsBeforeUnreachable: 3,
    };
    expect(transition({ ...base, unreachableAttempts: 2 })).toEqual({ ok: true, status: 'acknowledged' });
    expect(transition({ ...base, unreachableAttempts: 3 })).toEqual({ ok: true, status: 'unreachable' });
    expect(transition({ status: 'unreachable', type: 'contact_attempt', contactOutcome: 'reached' })).toEqual(
      { ok: true, status: 'contacted' },
    );
  });
  it('closes with "unreachable" only from unreachable', () => {
    expect(allowedCloseOutcomes('open')).not.toContain('unreachable');
    expect(allowedCloseOutcomes('unreachable')).toContain('unreachable');
    expect(transition({ status: 'acknowledged', type: 'close', closeOutcome: 'unreachable' })).toMatchObject({
      ok: false,
    });
    expect(transition({ status: 'unreachable', type: 'close', closeOutcome: 'unreachable' })).toEqual({
      ok: true,
      status: 'closed',
    });
  });
  it('refuses everything on a closed alert, and says what is allowed otherwise', () => {
    expect(allowedEvents('closed')).toEqual([]);
    expect(transition({ status: 'closed', type: 'note' })).toEqual({ ok: false, allowed: [] });
    expect(transition({ status: 'open', type: 'referral' })).toEqual({
      ok: false,
      allowed: ['acknowledge', 'assign', 'note', 'close'],
    });
  });
});
