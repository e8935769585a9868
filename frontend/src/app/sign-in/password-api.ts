import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type { PasswordResetRequest, SetPasswordRequest } from '@lien/shared';
import { publicRequest } from '../core/auth/auth-context';

/** Data access of the password pages: public calls, made without a session. */
@Injectable({ providedIn: 'root' })
export class PasswordApi {
  private readonly http = inject(HttpClient);

  /** Asks for a reset link; the answer never says whether the address has an account. */
  requestReset(request: PasswordResetRequest): Observable<unknown> {
    return this.http.post('/api/users/password-reset/request', request, publicRequest());
  }

  setPassword(request: SetPasswordRequest): Observable<unknown> {
    return this.http.post('/api/users/password/set', request, publicRequest());
  }
}
