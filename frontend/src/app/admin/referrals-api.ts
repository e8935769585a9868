import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type { ReferralResourceKind } from '@lien/shared';

/** A directory entry as the API has it (`/api/referral-resources`); the phone in E.164. */
export interface ReferralResource {
  id: string;
  name: string;
  kind: ReferralResourceKind;
  address: string | null;
  phone: string | null;
  /** ISO 639-1 codes. */
  languages: string[];
  acceptsNewPatients: boolean;
  usualDelayDays: number | null;
  updatedAt: string;
}

export type ReferralResourceRequest = Omit<ReferralResource, 'id' | 'updatedAt'>;

/** Data access of the referral directory. */
@Injectable({ providedIn: 'root' })
export class ReferralsApi {
  private readonly http = inject(HttpClient);

  list(): Observable<ReferralResource[]> {
    return this.http.get<ReferralResource[]>('/api/referral-resources');
  }

  create(request: ReferralResourceRequest): Observable<ReferralResource> {
    return this.http.post<ReferralResource>('/api/referral-resources', request);
  }

  update(id: string, request: Partial<ReferralResourceRequest>): Observable<ReferralResource> {
    return this.http.patch<ReferralResource>(`/api/referral-resources/${encodeURIComponent(id)}`, request);
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(`/api/referral-resources/${encodeURIComponent(id)}`);
  }
}
