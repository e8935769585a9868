import { HttpClient, HttpParams, type HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type { OrganisationSummary, ReportExportQuery, ReportQuery, ReportSummary } from '@lien/shared';

function toParams(query: object): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params = params.set(key, String(value));
  }
  return params;
}

/** Data access of the reports feature (`/api/reports`). */
@Injectable({ providedIn: 'root' })
export class ReportsApi {
  private readonly http = inject(HttpClient);

  summary(query: ReportQuery): Observable<ReportSummary> {
    return this.http.get<ReportSummary>('/api/reports/summary', { params: toParams(query) });
  }

  /** The CSV through HttpClient (so the bearer token goes with it), as a blob to save. */
  exportCsv(query: ReportExportQuery): Observable<HttpResponse<Blob>> {
    return this.http.get('/api/reports/export.csv', {
      params: toParams(query),
      responseType: 'blob',
      observe: 'response',
    });
  }

  organisations(): Observable<OrganisationSummary[]> {
    return this.http.get<OrganisationSummary[]>('/api/organisations');
  }
}
