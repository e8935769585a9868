import {
  DestroyRef,
  Injectable,
  InjectionToken,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { Subject, type Subscription } from 'rxjs';
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

/** The wait before reconnecting with a new ticket (shorter in tests). */
export const STREAM_RECONNECT_DELAY_MS = new InjectionToken<number>('STREAM_RECONNECT_DELAY_MS', {
  providedIn: 'root',
  factory: () => 5_000,
});
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
 * The organisation's live alert feed (`GET /api/alerts/stream`, server-sent events). Each (re)connection first
 * asks for a single-use stream ticket (with the Authorization header; a 401 refreshes the session through the
 * interceptor), then opens the EventSource with it. The browser's own retry would reuse the spent ticket, so on
 * any error the source is closed and a new ticket fetched after a delay. Closes when the user signs out; the
 * server ends it when the session ends. Provided by the pages that use it, so it closes with them.
 */
@Injectable()
export class AlertStream {
  private readonly auth = inject(AuthService);
  private readonly api = inject(AlertsApi);
  private readonly factory = inject(EVENT_SOURCE_FACTORY);
  private readonly reconnectDelayMs = inject(STREAM_RECONNECT_DELAY_MS);
  private source: EventSource | null = null;
  private ticketRequest: Subscription | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly stateSignal = signal<StreamState>('connecting');
  private readonly subject = new Subject<AlertStreamMessage>();
  /** Signed in or not: a refreshed access token does not reopen the stream (the ticket was the credential). */
  private readonly signedIn = computed(() => this.auth.accessToken() !== null);

  readonly state = this.stateSignal.asReadonly();
  readonly messages = this.subject.asObservable();

  constructor() {
    effect(() => {
      if (this.signedIn()) untracked(() => this.connect('connecting'));
      else this.close();
    });
    inject(DestroyRef).onDestroy(() => {
      this.close();
      this.subject.complete();
    });
  }

  private connect(state: StreamState): void {
    this.close();
    if (!this.factory) {
      this.stateSignal.set('unavailable');
      return;
    }
    const factory = this.factory;
    this.stateSignal.set(state);
    this.ticketRequest = this.api.streamTicket().subscribe({
      next: ({ ticket }) => {
        this.ticketRequest = null;
        if (this.auth.accessToken() !== null) this.open(factory, ticket);
      },
      error: () => {
        this.ticketRequest = null;
        this.scheduleReconnect();
      },
    });
  }

  private open(factory: (url: string) => EventSource, ticket: string): void {
    const source = factory(this.api.streamUrl(ticket));
    this.source = source;
    source.onopen = () => this.stateSignal.set('live');
    const onMessage = (event: MessageEvent): void => {
      const message = parseStreamMessage(event.data);
      if (message) this.subject.next(message);
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, onMessage as EventListener);
    source.onmessage = onMessage;
    source.onerror = () => {
      // The ticket is spent: reconnect with a new one rather than let the browser retry with this URL.
      source.close();
      if (this.source === source) this.source = null;
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    this.stateSignal.set('reconnecting');
    if (this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.auth.accessToken() !== null) this.connect('reconnecting');
    }, this.reconnectDelayMs);
  }

  private close(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.ticketRequest?.unsubscribe();
    this.ticketRequest = null;
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
