// The on-call rota (`GET/PUT /api/paging/rota`), as the API answers and the console edits it.

/** One on-call slot: ISO weekdays, local "HH:MM", the E.164 mobile to page. */
export interface RotaEntry {
  userId: string;
  /** 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  start: string;
  /** Before `start`: the slot runs past midnight. */
  end: string;
  phone: string;
}

/** A stretch of the week nobody covers (an urgent alert then pages the organisation admin). */
export interface RotaGap {
  weekday: number;
  start: string;
  /** "24:00" when the gap runs to the end of the day. */
  end: string;
}

export interface RotaView {
  /** Minutes an urgent alert waits for an acknowledgement before paging the next one. */
  ackMinutes: number;
  voice: boolean;
  entries: RotaEntry[];
  /** Where nobody is on call (local time). */
  gaps: RotaGap[];
}

/** The body of `PUT /api/paging/rota` (the gaps are computed). */
export type RotaRequest = Omit<RotaView, 'gaps'>;
