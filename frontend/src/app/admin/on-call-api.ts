import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { Observable } from 'rxjs';
import type { RotaRequest, RotaView } from '@lien/shared';

// The rota's shapes are the API's contracts (`@lien/shared`), re-exported for the rota editor.
export type { RotaEntry, RotaGap, RotaRequest, RotaView } from '@lien/shared';

/** Data access of the on-call rota editor. */
@Injectable({ providedIn: 'root' })
export class OnCallApi {
  private readonly http = inject(HttpClient);

  rota(): Observable<RotaView> {
    return this.http.get<RotaView>('/api/paging/rota');
  }

  saveRota(request: RotaRequest): Observable<RotaView> {
    return this.http.put<RotaView>('/api/paging/rota', request);
  }
}
