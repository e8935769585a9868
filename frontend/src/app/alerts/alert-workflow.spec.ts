import {
  ALERT_STATUSES,
  type AlertEventRequest,
  type AlertEventType,
  type AlertStatus,
  type AlertStreamMessage,
  type AlertSummary,
} from '@lien/shared';
import {
  closeOutcomes,
  currentDeadline,
  invalidTransition,
  sortAlerts,
  validNextSteps,
} from './alert-workflow';
import { isNewUrgent, parseStreamMessage } from './alert-stream.service';
import { alertQuery } from './alerts-dashboard.page';
import { eventRequest, type DialogEventType } from './alert-event.dialog';
import { anAlert } from '../ui/spec-helpers';

function alert(overrides: Partial<AlertSummary>): AlertSummary {
  return anAlert({ id: 'a', parentId: 'p', ...overrides });
}

describe('valid next steps of the follow-up workflow', () => {
  it.each<[AlertStatus, AlertEventType[]]>([
    ['open', ['acknowledge', 'close', 'assign', 'note']],
    ['acknowledged', ['contact_attempt', 'close', 'assign', 'note']],
    ['contacted', ['contact_attempt', 'referral', 'in_care', 'close', 'assign', 'note']],
    ['unreachable', ['contact_attempt', 'close', 'assign', 'note']],
    ['referred', ['referral', 'in_care', 'close', 'assign', 'note']],
    ['in_care', ['close', 'assign', 'note']],
    ['closed', []],
  ])('offers, when %s, the steps of the brief in a stable order', (status, steps) => {
    expect(validNextSteps(status)).toEqual(steps);
  });

  it('never offers a referral before the parent is reached, nor anything once closed', () => {
    for (const status of ['open', 'acknowledged', 'unreachable'] as const) {
      expect(validNextSteps(status)).not.toContain('referral');
      expect(validNextSteps(status)).not.toContain('in_care');
    }
    for (const status of ALERT_STATUSES) {
      if (status !== 'open') expect(validNextSteps(status)).not.toContain('acknowledge');
    }
  });

  it("follows the API's list when it sends one", () => {
    expect(validNextSteps('open', ['note', 'acknowledge'])).toEqual(['acknowledge', 'note']);
    expect(validNextSteps('contacted', [])).toEqual([]);
  });

  it('offers "unreachable" as a close outcome only for an unreachable alert, and "in care" first once in care', () => {
    expect(closeOutcomes('open')).toEqual(['in_care', 'declined', 'false_alarm', 'moved']);
    expect(closeOutcomes('unreachable')).toContain('unreachable');
    expect(closeOutcomes('in_care')[0]).toBe('in_care');
    expect(closeOutcomes('closed')).toEqual([]);
    expect(closeOutcomes('contacted', ['declined', 'moved'])).toEqual(['declined', 'moved']);
  });

  it('reads the 409 answer of a refused transition', () => {
    expect(
      invalidTransition({ status: 'contacted', allowed: ['note', 'close'], allowedOutcomes: ['declined'] }),
    ).toEqual({
      status: 'contacted',
      allowed: ['note', 'close'],
      allowedOutcomes: ['declined'],
    });
    expect(invalidTransition([{ field: 'type', message: 'bad' }])).toBeNull();
    expect(invalidTransition({ allowed: 'note' })).toBeNull();
    expect(invalidTransition(null)).toBeNull();
  });
});

describe('deadlines and dashboard order', () => {
  it('shows the acknowledgement deadline while open, then the first-contact one until someone is reached', () => {
    expect(currentDeadline(alert({ status: 'open' }))).toEqual({
      kind: 'acknowledge',
      dueAt: '2026-03-10T12:00:00Z',
    });
    expect(currentDeadline(alert({ status: 'acknowledged' }))).toEqual({
      kind: 'contact',
      dueAt: '2026-03-12T12:00:00Z',
    });
    expect(
      currentDeadline(alert({ status: 'contacted', firstContactAt: '2026-03-11T09:00:00Z' })),
    ).toBeNull();
  });

  it('sorts by severity (urgent first), then by the nearest deadline', () => {
    const sorted = sortAlerts([
      alert({ id: 'moderate-late', severity: 'moderate', acknowledgeDueAt: '2026-03-11T00:00:00Z' }),
      alert({ id: 'low', severity: 'low' }),
      alert({ id: 'urgent', severity: 'urgent', acknowledgeDueAt: '2026-03-10T20:00:00Z' }),
      alert({ id: 'moderate-soon', severity: 'moderate', acknowledgeDueAt: '2026-03-10T09:00:00Z' }),
      alert({ id: 'high', severity: 'high' }),
    ]);
    expect(sorted.map((item) => item.id)).toEqual([
      'urgent',
      'high',
      'moderate-soon',
      'moderate-late',
      'low',
    ]);
  });

  it('puts my own overdue alerts first, then the other overdue ones, whatever their severity', () => {
    const sorted = sortAlerts(
      [
        alert({ id: 'urgent', severity: 'urgent' }),
        alert({ id: 'theirs', severity: 'high', overdue: true, assigneeId: 'colleague' }),
        alert({ id: 'unassigned', severity: 'moderate', overdue: true }),
        alert({ id: 'mine', severity: 'low', overdue: true, assigneeId: 'me' }),
      ],
      'me',
    );
    expect(sorted.map((item) => item.id)).toEqual(['mine', 'theirs', 'unassigned', 'urgent']);
    // Nobody signed in (or a partner view): overdue first all the same.
    expect(sortAlerts(sorted).map((item) => item.id)).toEqual(['theirs', 'unassigned', 'mine', 'urgent']);
  });

  it('turns the filters into the API query', () => {
    expect(
      alertQuery({
        severity: 'all',
        status: 'active',
        assignee: 'all',
        overdue: false,
        page: 1,
        pageSize: 25,
      }),
    ).toEqual({
      page: 1,
      pageSize: 25,
    });
    expect(
      alertQuery({
        severity: 'urgent',
        status: 'referred',
        assignee: 'me',
        overdue: true,
        page: 2,
        pageSize: 50,
      }),
    ).toEqual({
      severity: 'urgent',
      status: 'referred',
      assignee: 'me',
      overdue: 'true',
      page: 2,
      pageSize: 50,
    });
    expect(
      alertQuery({ severity: 'all', status: 'all', assignee: 'none', overdue: false, page: 1, pageSize: 25 })
        .status,
    ).toBe('open,acknowledged,contacted,unreachable,referred,in_care,closed');
  });
});

describe('live feed', () => {
  const message = (
    type: AlertStreamMessage['type'],
    overrides: Partial<AlertSummary>,
  ): AlertStreamMessage => ({
    type,
    alert: alert(overrides),
  });

  it('announces a new urgent alert once, not other severities nor known ones', () => {
    const known = new Set<string>(['old']);
    expect(isNewUrgent(message('alert.created', { id: 'n1', severity: 'urgent' }), known)).toBe(true);
    expect(isNewUrgent(message('alert.created', { id: 'n2', severity: 'high' }), known)).toBe(false);
    expect(isNewUrgent(message('alert.updated', { id: 'old', severity: 'urgent' }), known)).toBe(false);
    expect(
      isNewUrgent(message('alert.updated', { id: 'raised', severity: 'urgent', status: 'open' }), known),
    ).toBe(true);
    expect(
      isNewUrgent(message('alert.updated', { id: 'x', severity: 'urgent', status: 'closed' }), known),
    ).toBe(false);
  });

  it('parses the server-sent data and ignores anything else', () => {
    const sent = message('alert.created', { id: 'n1', severity: 'urgent' });
    expect(parseStreamMessage(JSON.stringify(sent))).toEqual(sent);
    expect(parseStreamMessage('not json')).toBeNull();
    expect(parseStreamMessage(JSON.stringify({ type: 'other', alert: { id: 'x' } }))).toBeNull();
    expect(parseStreamMessage(undefined)).toBeNull();
  });
});

describe('follow-up event forms', () => {
  const empty = { note: '', outcome: '', channel: 'phone', to: '', closeOutcome: '' };

  it.each<[DialogEventType, Partial<typeof empty>, AlertEventRequest | null]>([
    ['note', {}, null],
    ['note', { note: '  appelée  ' }, { type: 'note', text: 'appelée' }],
    ['contact_attempt', {}, null],
    [
      'contact_attempt',
      { outcome: 'reached' },
      { type: 'contact_attempt', outcome: 'reached', channel: 'phone' },
    ],
    ['referral', {}, null],
    ['referral', { to: 'gp', note: 'RDV lundi' }, { type: 'referral', to: 'gp', note: 'RDV lundi' }],
    ['close', {}, null],
    ['close', { closeOutcome: 'in_care' }, { type: 'close', outcome: 'in_care' }],
    ['in_care', {}, { type: 'in_care' }],
  ])('requires what the API requires for each event: %s with %o', (type, filled, request) => {
    expect(eventRequest(type, { ...empty, ...filled })).toEqual(request);
  });
});
