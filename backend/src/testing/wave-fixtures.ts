import type { WaveSetting } from '@lien/shared';

/** Fathers and co-parents at 3–6 months, when paternal depression peaks (~7% → ~25%): a wave for those roles only. */
export const FATHERS_WAVE: WaveSetting = {
  key: 'day120',
  offsetDays: 120,
  windowStartDay: 90,
  windowEndDay: 180,
  noResponseTask: true,
  roles: ['father', 'co_parent'],
};
