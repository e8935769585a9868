// The on-call rota (`GET/PUT /api/paging/rota`), as the API answers and the console edits it.

/** One on-call slot: ISO weekdays, local "HH:MM", the E.164 mobile to page. */
export interface RotaEntry {
  /**
   * The professional on call
   * @format uuid
   */
  userId: string;
  /**
   * ISO weekdays: 1 = Monday … 7 = Sunday.
   * @example [1,2,3,4,5]
   */
  weekdays: number[];
  /**
   * Local time HH:MM
   * @example 18:00
   */
  start: string;
  /**
   * Local time HH:MM; before `start`: the slot runs past midnight.
   * @example 08:00
   */
  end: string;
  /**
   * E.164 number to page
   * @example +33612345678
   */
  phone: string;
}

/** A stretch of the week nobody covers (an urgent alert then pages the organisation admin). */
export interface RotaGap {
  /** ISO weekday, 1 = Monday */
  weekday: number;
  /** @example 08:00 */
  start: string;
  /**
   * "24:00" when the gap runs to the end of the day.
   * @example 24:00
   */
  end: string;
}

export interface RotaView {
  /** Minutes an urgent alert waits for an acknowledgement before paging the next one. */
  ackMinutes: number;
  /** Also place a voice call */
  voice: boolean;
  entries: RotaEntry[];
  /** Where nobody is on call (local time): an urgent alert then pages the organisation admin. */
  gaps: RotaGap[];
}

/** The body of `PUT /api/paging/rota` (the gaps are computed). */
export type RotaRequest = Omit<RotaView, 'gaps'>;
