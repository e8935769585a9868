import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';

/** One on-call slot as the API has it (`GET/PUT /api/paging/rota`): ISO weekdays, local "HH:MM", E.164 mobile. */
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
  ackMinutes: number;
  voice: boolean;
  entries: RotaEntry[];
  gaps: RotaGap[];
}

export type RotaRequest = Omit<RotaView, 'gaps'>;

/** Data access of the on-call rota editor. */
@Injectable({ providedIn: 'root' })
export class OnCallApi {
  private readonly http = inject(HttpClient);

  rota(): Observable<RotaView> {
    return this.http.get<RotaView>('/api/paging/rota');
  }

  saveRota(request: RotaRequest): Observable<RotaView> {
    return this.http.put<RotaView>('/api/paging/rota', request);
  }
}
