import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type Observable, catchError, map, of, throwError } from 'rxjs';
import type { DevOutboxResponse, DevOutboxSms, OutboxEmail } from '@lien/shared';

/** An outbox's content, or `inactive` when the real provider is configured (the API answers 404). */
export type OutboxState<T> = { active: true; items: T[] } | { active: false };

function orInactive<T>(source: Observable<T[]>): Observable<OutboxState<T>> {
  return source.pipe(
    map((items): OutboxState<T> => ({ active: true, items })),
    catchError((error: unknown) =>
      error instanceof HttpErrorResponse && error.status === 404
        ? of<OutboxState<T>>({ active: false })
        : throwError(() => error),
    ),
  );
}

/** Data access of the built-in outboxes (`/api/dev/outbox/*`), for demos without Twilio or SMTP. */
@Injectable({ providedIn: 'root' })
export class OutboxApi {
  private readonly http = inject(HttpClient);

  sms(): Observable<OutboxState<DevOutboxSms>> {
    return orInactive(
      this.http.get<DevOutboxResponse>('/api/dev/outbox/sms').pipe(map((response) => response.items)),
    );
  }

  email(): Observable<OutboxState<OutboxEmail>> {
    return orInactive(this.http.get<OutboxEmail[]>('/api/dev/outbox/email'));
  }
}
