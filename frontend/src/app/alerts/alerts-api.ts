import { HttpClient } from '@angular/common/http';
import { toParams } from '../core/http-params';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type {
  AlertDetail,
  AlertEventRequest,
  AlertEventResponse,
  AlertListQuery,
  AlertListResponse,
  AlertStreamTicketResponse,
  InviteOtherParentRequest,
  InviteOtherParentResponse,
  ParentDetail,
  ContactRequestEnrolRequest,
  ContactRequestIdentity,
  ReferralResourceFields,
  ReferralResourceView,
} from '@lien/shared';

/** An entry of the organisation's referral directory: the part of the API's answer the referral step reads. */
export type ReferralResource = Pick<ReferralResourceView, 'id' | keyof ReferralResourceFields>;

/** Data access of the alerts feature (`/api/alerts`). */
@Injectable({ providedIn: 'root' })
export class AlertsApi {
  private readonly http = inject(HttpClient);

  list(query: AlertListQuery): Observable<AlertListResponse> {
    return this.http.get<AlertListResponse>('/api/alerts', { params: toParams(query) });
  }

  get(id: string): Observable<AlertDetail> {
    return this.http.get<AlertDetail>(`/api/alerts/${encodeURIComponent(id)}`);
  }

  addEvent(id: string, event: AlertEventRequest): Observable<AlertEventResponse> {
    return this.http.post<AlertEventResponse>(`/api/alerts/${encodeURIComponent(id)}/events`, event);
  }

  /** Invites the other parent of the household now (or enrols them, with `parent`). */
  inviteOtherParent(
    id: string,
    request: InviteOtherParentRequest = {},
  ): Observable<InviteOtherParentResponse> {
    return this.http.post<InviteOtherParentResponse>(
      `/api/alerts/${encodeURIComponent(id)}/other-parent`,
      request,
    );
  }

  /** The named parent (an audited read): called only when the professional asks to see the identity. */
  revealParent(parentId: string): Observable<ParentDetail> {
    return this.http.get<ParentDetail>(`/api/parents/${encodeURIComponent(parentId)}`);
  }

  /** The requester's first name, phone and e-mail of a contact request (an audited read, on demand only). */
  contactRequestIdentity(id: string): Observable<ContactRequestIdentity> {
    return this.http.get<ContactRequestIdentity>(`/api/contact-requests/${encodeURIComponent(id)}/identity`);
  }

  /** Turns a contact request into an enrolment; answers the new parent. */
  enrolContactRequest(id: string, body: ContactRequestEnrolRequest): Observable<ParentDetail> {
    return this.http.post<ParentDetail>(`/api/contact-requests/${encodeURIComponent(id)}/enrol`, body);
  }

  /** The organisation's referral directory, by name (for the "referred" step). */
  referralResources(): Observable<ReferralResource[]> {
    return this.http.get<ReferralResource[]>('/api/referral-resources');
  }

  /**
   * A single-use ticket (valid 30 s) for opening the live feed: EventSource cannot send the Authorization
   * header, and the access token never goes in a URL (logs keep URLs). One per (re)connection.
   */
  streamTicket(): Observable<AlertStreamTicketResponse> {
    return this.http.post<AlertStreamTicketResponse>('/api/alerts/stream-ticket', null);
  }

  /** The live feed's URL with a ticket from `streamTicket()`. */
  streamUrl(ticket: string): string {
    return `/api/alerts/stream?ticket=${encodeURIComponent(ticket)}`;
  }
}
