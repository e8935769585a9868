import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type {
  CreateScreeningSourceRequest,
  ScreeningSourceStats,
  ScreeningSourceView,
  ScreeningSourceWidget,
} from '@lien/shared';

/** Data access of the self-screening sources (partner sites, leaflets). */
@Injectable({ providedIn: 'root' })
export class SourcesApi {
  private readonly http = inject(HttpClient);

  list(): Observable<ScreeningSourceStats[]> {
    return this.http.get<ScreeningSourceStats[]>('/api/screening-sources');
  }

  create(request: CreateScreeningSourceRequest): Observable<ScreeningSourceView> {
    return this.http.post<ScreeningSourceView>('/api/screening-sources', request);
  }

  /** The QR code as a file (the route needs the session's token: no plain link). */
  qrCode(id: string, format: 'svg' | 'png'): Observable<Blob> {
    return this.http.get(`/api/screening-sources/${encodeURIComponent(id)}/qr.${format}`, {
      responseType: 'blob',
    });
  }

  widget(id: string): Observable<ScreeningSourceWidget> {
    return this.http.get<ScreeningSourceWidget>(`/api/screening-sources/${encodeURIComponent(id)}/widget`);
  }
}
