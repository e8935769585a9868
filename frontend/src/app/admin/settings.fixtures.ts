import type { WaveSetting } from '@lien/shared';

/** Test data for the specs of the organisation settings (form and page). */

/** A wave at day 120 for fathers and co-parents only, re-screening twice at most 28 days after a moderate score. */
export const DAY120_WAVE: WaveSetting = {
  key: 'day120',
  offsetDays: 120,
  windowStartDay: 90,
  windowEndDay: 180,
  noResponseTask: true,
  roles: ['father', 'co_parent'],
  rescreen: { bands: ['moderate'], afterDays: 28, maxTimes: 2 },
};
