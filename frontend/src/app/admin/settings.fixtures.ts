import { FATHERS_WAVE_EXAMPLE, type WaveSetting } from '@lien/shared';

/** Test data for the specs of the organisation settings (form and page). */

/** The fathers' wave (day 120, fathers and co-parents only), re-screening twice at most 28 days after a moderate score. */
export const DAY120_WAVE: WaveSetting = {
  ...FATHERS_WAVE_EXAMPLE,
  rescreen: { bands: ['moderate'], afterDays: 28, maxTimes: 2 },
};
