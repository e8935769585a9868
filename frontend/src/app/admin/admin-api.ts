import { HttpClient } from '@angular/common/http';
import { toParams } from '../core/http-params';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type {
  AuditListResponse,
  AuditQuery,
  CreateOrganisationRequest,
  InviteUserRequest,
  OrganisationSummary,
  OrganisationSettingsPatch,
  OrganisationSettingsResponse,
  UpdateOrganisationRequest,
  UpdateUserRequest,
  UserListQuery,
  UserListResponse,
  UserSummary,
} from '@lien/shared';

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

  /** All organisations for a platform admin (the caller's own for others). */
  organisations(): Observable<OrganisationSummary[]> {
    return this.http.get<OrganisationSummary[]>('/api/organisations');
  }

  createOrganisation(request: CreateOrganisationRequest): Observable<OrganisationSummary> {
    return this.http.post<OrganisationSummary>('/api/organisations', request);
  }

  updateOrganisation(id: string, request: UpdateOrganisationRequest): Observable<OrganisationSummary> {
    return this.http.patch<OrganisationSummary>(`/api/organisations/${encodeURIComponent(id)}`, request);
  }

  audit(query: AuditQuery): Observable<AuditListResponse> {
    return this.http.get<AuditListResponse>('/api/audit', { params: toParams(query) });
  }
}
