import { HttpClient } from '@angular/common/http';
import { toParams } from '../core/http-params';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type {
  AdhocInvitationResponse,
  EnrolHouseholdRequest,
  EnrolParentRequest,
  HouseholdResponse,
  ParentDetail,
  ParentHistory,
  ParentListResponse,
  ParentStatus,
  UpdateParentRequest,
} from '@lien/shared';

export interface ParentListQuery {
  q?: string;
  status?: ParentStatus | '';
  page: number;
  pageSize: number;
}

/** Data access of the parents feature (`/api/parents`). */
@Injectable({ providedIn: 'root' })
export class ParentsApi {
  private readonly http = inject(HttpClient);

  list(query: ParentListQuery): Observable<ParentListResponse> {
    return this.http.get<ParentListResponse>('/api/parents', { params: toParams(query) });
  }

  /** An audited read of a named parent. */
  get(id: string): Observable<ParentDetail> {
    return this.http.get<ParentDetail>(`/api/parents/${encodeURIComponent(id)}`);
  }

  enrol(request: EnrolParentRequest): Observable<ParentDetail> {
    return this.http.post<ParentDetail>('/api/parents', request);
  }

  /** The parents of one birth together, in one transaction. */
  enrolHousehold(request: EnrolHouseholdRequest): Observable<HouseholdResponse> {
    return this.http.post<HouseholdResponse>('/api/households', request);
  }

  update(id: string, request: UpdateParentRequest): Observable<ParentDetail> {
    return this.http.patch<ParentDetail>(`/api/parents/${encodeURIComponent(id)}`, request);
  }

  sendInvitation(id: string): Observable<AdhocInvitationResponse> {
    return this.http.post<AdhocInvitationResponse>(`/api/parents/${encodeURIComponent(id)}/invitations`, {});
  }

  withdraw(id: string): Observable<unknown> {
    return this.http.post(`/api/parents/${encodeURIComponent(id)}/withdraw`, {});
  }

  /** An audited read: the score trend, what happened (who did what when) and the SMS still planned. */
  history(id: string): Observable<ParentHistory> {
    return this.http.get<ParentHistory>(`/api/parents/${encodeURIComponent(id)}/history`);
  }
}
