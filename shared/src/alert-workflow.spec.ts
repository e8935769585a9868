import { ALERT_ALLOWED_EVENTS, allowedCloseOutcomes } from './alert-workflow.js';
import { ALERT_STATUSES } from './statuses.js';

describe('alert workflow', () => {
  it('names every status, and a closed alert allows nothing', () => {
    expect(Object.keys(ALERT_ALLOWED_EVENTS).sort()).toEqual([...ALERT_STATUSES].sort());
    expect(ALERT_ALLOWED_EVENTS.closed).toEqual([]);
  });

  it('allows a note and a close in every status but closed', () => {
    for (const status of ALERT_STATUSES.filter((status) => status !== 'closed')) {
      expect(ALERT_ALLOWED_EVENTS[status]).toEqual(expect.arrayContaining(['note', 'close']));
    }
  });

  it('closes as "unreachable" only an unreachable alert', () => {
    expect(allowedCloseOutcomes('unreachable')).toContain('unreachable');
    expect(allowedCloseOutcomes('acknowledged')).not.toContain('unreachable');
    expect(allowedCloseOutcomes('acknowledged')).toContain('false_alarm');
    expect(allowedCloseOutcomes('closed')).toEqual([]);
  });
});
