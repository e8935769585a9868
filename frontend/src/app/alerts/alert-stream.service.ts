import { DestroyRef, Injectable, InjectionToken, effect, inject, signal } from '@angular/core';
import { Subject } from 'rxjs';
import type { AlertStreamMessage } from '@lien/shared';
import { AuthService } from '../core/auth/auth.service';
import { AlertsApi } from './alerts-api';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'unavailable';

/** Builds an EventSource; replaced in tests (jsdom has none). */
export const EVENT_SOURCE_FACTORY = new InjectionToken<((url: string) => EventSource) | null>(
  'EVENT_SOURCE_FACTORY',
  {
    providedIn: 'root',
    factory: () => (typeof EventSource === 'undefined' ? null : (url: string) => new EventSource(url)),
  },
);

const RECONNECT_DELAY_MS = 5_000;
const EVENT_TYPES = ['alert.created', 'alert.updated'] as const;

/** Parses one server-sent event's data; null for anything that is not an alert message. */
export function parseStreamMessage(data: unknown): AlertStreamMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const message = JSON.parse(data) as Partial<AlertStreamMessage>;
    if (
      (message.type === 'alert.created' || message.type === 'alert.updated') &&
      message.alert &&
      typeof message.alert.id === 'string'
    ) {
      return message as AlertStreamMessage;
    }
  } catch {
    // not JSON: ignore
  }
  return null;
}

/**
 * The organisation's live alert feed (`GET /api/alerts/stream`, server-sent events). Reopens with the new
 * token after a refresh; when the stream closes (e.g. expired token), refreshes the session and reconnects.
 * Provided by the pages that use it, so it closes with them.
 */
@Injectable()
export class AlertStream {
  private readonly auth = inject(AuthService);
  private readonly api = inject(AlertsApi);
  private readonly factory = inject(EVENT_SOURCE_FACTORY);
  private source: EventSource | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly stateSignal = signal<StreamState>('connecting');
  private readonly subject = new Subject<AlertStreamMessage>();

  readonly state = this.stateSignal.asReadonly();
  readonly messages = this.subject.asObservable();

  constructor() {
    effect(() => {
      const token = this.auth.accessToken();
      this.open(token);
    });
    inject(DestroyRef).onDestroy(() => {
      this.close();
      this.subject.complete();
    });
  }

  private open(token: string | null): void {
    this.close();
    if (!token) return;
    if (!this.factory) {
      this.stateSignal.set('unavailable');
      return;
    }
    const source = this.factory(this.api.streamUrl(token));
    this.source = source;
    source.onopen = () => this.stateSignal.set('live');
    const onMessage = (event: MessageEvent): void => {
      const message = parseStreamMessage(event.data);
      if (message) this.subject.next(message);
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, onMessage as EventListener);
    source.onmessage = onMessage;
    source.onerror = () => {
      // The browser retries by itself while the state is CONNECTING; CLOSED means it gave up (401, 403…).
      if (source.readyState === 2 /* EventSource.CLOSED */) {
        this.stateSignal.set('reconnecting');
        this.scheduleReconnect();
      } else {
        this.stateSignal.set('reconnecting');
      }
    };
  }

  private scheduleReconnect(): void {
    if (this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      const before = this.auth.accessToken();
      void this.auth.refresh().then((token) => {
        // A new token re-opens the stream through the effect; the same one needs an explicit retry.
        if (token && token === before) this.open(token);
        if (!token && this.auth.accessToken()) this.open(this.auth.accessToken());
      });
    }, RECONNECT_DELAY_MS);
  }

  private close(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.source?.close();
    this.source = null;
  }
}

/**
 * Whether a feed message is a new urgent alert to announce: created urgent, or an open alert raised to urgent
 * that this page has not seen as urgent yet (a later change to a known urgent alert is not news).
 */
export function isNewUrgent(message: AlertStreamMessage, knownUrgent: ReadonlySet<string>): boolean {
  const { alert } = message;
  if (alert.severity !== 'urgent' || knownUrgent.has(alert.id)) return false;
  return message.type === 'alert.created' || alert.status === 'open';
}
