import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type {
  AuditListResponse,
  AuditQuery,
  InviteUserRequest,
  OrganisationSettingsPatch,
  OrganisationSettingsResponse,
  UpdateUserRequest,
  UserListQuery,
  UserListResponse,
  UserSummary,
} from '@lien/shared';

function toParams(query: object): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params = params.set(key, String(value));
  }
  return params;
}

/** Data access of the organisation admin: users, settings, audit log. */
@Injectable({ providedIn: 'root' })
export class AdminApi {
  private readonly http = inject(HttpClient);

  users(query: UserListQuery): Observable<UserListResponse> {
    return this.http.get<UserListResponse>('/api/users', { params: toParams(query) });
  }

  inviteUser(request: InviteUserRequest): Observable<UserSummary> {
    return this.http.post<UserSummary>('/api/users', request);
  }

  updateUser(id: string, request: UpdateUserRequest): Observable<UserSummary> {
    return this.http.patch<UserSummary>(`/api/users/${encodeURIComponent(id)}`, request);
  }

  /** Deactivates and ends every session of the account. */
  deactivateUser(id: string): Observable<UserSummary> {
    return this.http.post<UserSummary>(`/api/users/${encodeURIComponent(id)}/deactivate`, {});
  }

  resendInvitation(id: string): Observable<UserSummary> {
    return this.http.post<UserSummary>(`/api/users/${encodeURIComponent(id)}/invitation`, {});
  }

  settings(organisationId: string): Observable<OrganisationSettingsResponse> {
    return this.http.get<OrganisationSettingsResponse>(
      `/api/organisations/${encodeURIComponent(organisationId)}/settings`,
    );
  }

  updateSettings(
    organisationId: string,
    patch: OrganisationSettingsPatch,
  ): Observable<OrganisationSettingsResponse> {
    return this.http.patch<OrganisationSettingsResponse>(
      `/api/organisations/${encodeURIComponent(organisationId)}/settings`,
      patch,
    );
  }

  audit(query: AuditQuery): Observable<AuditListResponse> {
    return this.http.get<AuditListResponse>('/api/audit', { params: toParams(query) });
  }
}
