import { HttpClient, type HttpResponse } from '@angular/common/http';
import { toParams } from '../core/http-params';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type { OrganisationSummary, ReportExportQuery, ReportQuery, ReportSummary } from '@lien/shared';

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
