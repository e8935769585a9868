import { NO_HISTORY_DETAILS, type ParentHistory } from '@lien/shared';

/** Test data for the specs of the pages showing a parent's history (parent page, alert page). */

export const EMPTY_HISTORY: ParentHistory = {
  parentId: 'p1',
  trend: { role: 'mother', thresholds: { moderate: 11, high: 13 }, maxScore: 30, points: [], next: null },
  events: [],
  planned: [],
};

const CLAIRE = { id: 'u1', name: 'Claire Moreau' };

/** Two waves answered, a third to come; a follow-up with a contact, a note and a referral. */
export const STORY: ParentHistory = {
  parentId: 'p1',
  trend: {
    role: 'mother',
    thresholds: { moderate: 11, high: 13 },
    maxScore: 30,
    points: [
      { wave: 'day7', score: 8, band: 'low', at: '2026-03-05T18:00:00Z' },
      { wave: 'day42', score: 14, band: 'high', at: '2026-04-09T18:00:00Z' },
    ],
    next: { wave: 'day120', dueAt: '2026-06-26T08:00:00Z' },
  },
  events: [
    { ...NO_HISTORY_DETAILS, id: 'enrolled:p1', at: '2026-03-02T08:00:00Z', kind: 'enrolled', actor: CLAIRE },
    {
      ...NO_HISTORY_DETAILS,
      id: 'sms:s1',
      at: '2026-03-05T09:00:04Z',
      kind: 'sms',
      wave: 'day7',
      sms: { kind: 'invitation', status: 'delivered', errorCode: null },
    },
    {
      ...NO_HISTORY_DETAILS,
      id: 'response:r2',
      at: '2026-04-09T18:00:00Z',
      kind: 'response',
      wave: 'day42',
      alertId: 'a1',
      result: { score: 14, band: 'high', item10Positive: false, anxietyFlag: false },
    },
    {
      ...NO_HISTORY_DETAILS,
      id: 'alert:a1',
      at: '2026-04-09T18:00:00Z',
      kind: 'alert',
      alertId: 'a1',
      severity: 'high',
      reasons: ['high_score'],
    },
    {
      ...NO_HISTORY_DETAILS,
      id: 'follow_up:e1',
      at: '2026-04-10T08:00:00Z',
      kind: 'contact_attempt',
      actor: CLAIRE,
      alertId: 'a1',
      contact: { outcome: 'reached', channel: 'phone' },
      note: 'Rappel vendredi',
    },
    {
      ...NO_HISTORY_DETAILS,
      id: 'follow_up:e2',
      at: '2026-04-10T09:00:00Z',
      kind: 'referral',
      actor: CLAIRE,
      alertId: 'a1',
      referral: { to: 'psychiatrist', resourceName: 'CMP de Lens' },
    },
  ],
  planned: [
    {
      id: 's9',
      kind: 'invitation',
      wave: 'day120',
      dueAt: '2026-06-26T08:00:00Z',
      deferredFrom: '2026-06-25T08:00:00Z',
    },
  ],
};

/** STORY's lines as the page lists them: newest first. */
export const STORY_KINDS_NEWEST_FIRST = [
  'referral',
  'contact_attempt',
  'alert',
  'response',
  'sms',
  'enrolled',
];
