import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type {
  AlertDetail,
  AlertEventRequest,
  AlertEventResponse,
  AlertListQuery,
  AlertListResponse,
  ParentDetail,
} from '@lien/shared';

/** Data access of the alerts feature (`/api/alerts`). */
@Injectable({ providedIn: 'root' })
export class AlertsApi {
  private readonly http = inject(HttpClient);

  list(query: AlertListQuery): Observable<AlertListResponse> {
    let params = new HttpParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params = params.set(key, String(value));
    }
    return this.http.get<AlertListResponse>('/api/alerts', { params });
  }

  get(id: string): Observable<AlertDetail> {
    return this.http.get<AlertDetail>(`/api/alerts/${encodeURIComponent(id)}`);
  }

  addEvent(id: string, event: AlertEventRequest): Observable<AlertEventResponse> {
    return this.http.post<AlertEventResponse>(`/api/alerts/${encodeURIComponent(id)}/events`, event);
  }

  /** The named parent (an audited read): called only when the professional asks to see the identity. */
  revealParent(parentId: string): Observable<ParentDetail> {
    return this.http.get<ParentDetail>(`/api/parents/${encodeURIComponent(parentId)}`);
  }

  /** The live feed's URL: EventSource cannot send headers, so the token goes in the query string. */
  streamUrl(accessToken: string): string {
    return `/api/alerts/stream?access_token=${encodeURIComponent(accessToken)}`;
  }
}
