import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type {
  OrganisationSummary,
  ReferralResourceCreateRequest,
  ReferralResourceFields,
  ReferralResourceUpdateRequest,
  ReferralResourceView,
} from '@lien/shared';

/** A directory entry as the API has it (`/api/referral-resources`); the phone in E.164. */
export type ReferralResource = ReferralResourceView;
/** The entry's own fields, as the form sends them. */
export type ReferralResourceRequest = ReferralResourceFields;

/** Data access of the referral directory (and, for coordinators, the organisations of their territory). */
@Injectable({ providedIn: 'root' })
export class ReferralsApi {
  private readonly http = inject(HttpClient);

  list(): Observable<ReferralResource[]> {
    return this.http.get<ReferralResource[]>('/api/referral-resources');
  }

  /** The organisations the caller reaches: a coordinator's territory. */
  organisations(): Observable<OrganisationSummary[]> {
    return this.http.get<OrganisationSummary[]>('/api/organisations');
  }

  create(request: ReferralResourceCreateRequest): Observable<ReferralResource> {
    return this.http.post<ReferralResource>('/api/referral-resources', request);
  }

  update(id: string, request: ReferralResourceUpdateRequest): Observable<ReferralResource> {
    return this.http.patch<ReferralResource>(`/api/referral-resources/${encodeURIComponent(id)}`, request);
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(`/api/referral-resources/${encodeURIComponent(id)}`);
  }
}
