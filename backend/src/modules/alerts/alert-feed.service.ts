import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { roleHasPermission, type AlertStreamMessage } from '@lien/shared';
import type { OrgScope } from '../../common/auth/auth-user.js';
import { SessionCheck } from '../users/session-check.js';
import { sessionsEndedChannel, type SessionsEndedMessage } from '../../common/auth/session-events.js';
import { PeriodicTask } from '../../common/periodic-task.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { createRedis } from '../../queue/redis.js';
import { REDIS } from '../../queue/queue.module.js';

/** Backstop: every open stream's session is re-checked this often, even if an announcement was lost. */
export const STREAM_SESSION_CHECK_MS = 30_000;

type Listener = (message: AlertStreamMessage) => void;

/** Who a stream was opened for: it lives only as long as that session (refresh family) stays valid. */
export interface StreamOwner {
  organisationId: string;
  userId: string;
  sessionId: string;
}

interface OpenStream extends StreamOwner {
  /** Ends the stream's response (session ended, or the process stops). */
  end: () => void;
}

/**
 * The live alert feed across processes: changes are published on `<prefix>:alerts:<organisationId>` after
 * commit; each API process holds ONE subscriber connection (opened on the first stream client) and fans
 * messages out to its own SSE clients of that organisation. The same connection listens to `<prefix>:sessions:ended`:
 * when a user's sessions end (logout, deactivation, revocation), this process re-checks that user's open streams
 * and ends those whose session is no longer valid; every open stream is also re-checked every 30 s.
 */
@Injectable()
export class AlertFeedService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(AlertFeedService.name);
  private subscriber: Redis | null = null;
  private ready: Promise<void> | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  /** The open streams: ended when their session ends, and at shutdown so the HTTP server can close. */
  private readonly streams = new Set<OpenStream>();
  private readonly sessionCheck = new PeriodicTask(this.logger, 'alert stream session check', () =>
    this.checkSessions(),
  );
  private sessionCheckStarted = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionCheck,
  ) {}

  channel(scope: OrgScope): string {
    return `${this.config.queuePrefix}:alerts:${scope.organisationId}`;
  }

  async publish(scope: OrgScope, message: AlertStreamMessage): Promise<void> {
    await this.redis.publish(this.channel(scope), JSON.stringify(message));
  }

  /**
   * Listens to the alerts of the owner's organisation; resolves once the subscription is live. Returns the
   * unsubscribe. `end` is called if the owner's session ends or the process stops first (the stream should end
   * its response).
   */
  async subscribe(owner: StreamOwner, listener: Listener, end: () => void): Promise<() => void> {
    const { organisationId } = owner;
    let set = this.listeners.get(organisationId);
    if (!set) {
      set = new Set();
      this.listeners.set(organisationId, set);
    }
    set.add(listener);
    const stream: OpenStream = { ...owner, end };
    this.streams.add(stream);
    const unsubscribe = (): void => {
      const current = this.listeners.get(organisationId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(organisationId);
      this.streams.delete(stream);
    };
    try {
      await this.connect();
    } catch (error) {
      unsubscribe();
      throw error;
    }
    // A session ended between the ticket's check and this subscription was announced before this process
    // listened for it: check once more now that it does.
    void this.checkStream(stream).catch((error: unknown) =>
      this.logger.warn(`alert stream session check: ${(error as Error).message}`),
    );
    return unsubscribe;
  }

  /**
   * Ends the open streams (of one user, or all) whose session is no longer valid. Called on a sessions-ended
   * announcement and periodically; the checks of one pass share statements (see `SessionCheck`).
   */
  async checkSessions(userId?: string): Promise<void> {
    const streams = [...this.streams].filter((stream) => userId === undefined || stream.userId === userId);
    await Promise.all(streams.map((stream) => this.checkStream(stream)));
  }

  private async checkStream(stream: OpenStream): Promise<void> {
    const user = await this.sessions.signedInUser(stream.userId, stream.sessionId);
    const allowed =
      user?.organisationId === stream.organisationId && roleHasPermission(user.role, 'alerts.read');
    if (!allowed) this.endStream(stream);
  }

  private endStream(stream: OpenStream): void {
    if (!this.streams.delete(stream)) return;
    stream.end();
  }

  private onSessionsEnded(text: string): void {
    let message: Partial<SessionsEndedMessage>;
    try {
      message = JSON.parse(text) as Partial<SessionsEndedMessage>;
    } catch {
      return;
    }
    if (typeof message.userId !== 'string') return;
    if (![...this.streams].some((stream) => stream.userId === message.userId)) return;
    this.checkSessions(message.userId).catch((error: unknown) =>
      this.logger.warn(`alert stream session check: ${(error as Error).message}`),
    );
  }

  listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  private connect(): Promise<void> {
    this.ready ??= (async () => {
      const subscriber = createRedis(this.config.redis, 'subscriber');
      this.subscriber = subscriber;
      const prefix = `${this.config.queuePrefix}:alerts:`;
      subscriber.on('pmessage', (_pattern: string, channel: string, text: string) => {
        const organisationId = channel.slice(prefix.length);
        const set = this.listeners.get(organisationId);
        if (!set?.size) return;
        let message: AlertStreamMessage;
        try {
          message = JSON.parse(text) as AlertStreamMessage;
        } catch {
          return;
        }
        for (const listener of set) listener(message);
      });
      const sessionsChannel = sessionsEndedChannel(this.config.queuePrefix);
      subscriber.on('message', (channel: string, text: string) => {
        if (channel === sessionsChannel) this.onSessionsEnded(text);
      });
      subscriber.on('error', (error: Error) => this.logger.warn(`alert feed subscriber: ${error.message}`));
      // The pattern and the channel are re-subscribed by ioredis after a reconnect.
      await subscriber.psubscribe(`${escapePattern(prefix)}*`);
      await subscriber.subscribe(sessionsChannel);
      if (!this.sessionCheckStarted) this.sessionCheck.start(STREAM_SESSION_CHECK_MS);
      this.sessionCheckStarted = true;
    })().catch((error: unknown) => {
      this.ready = null;
      this.subscriber?.disconnect();
      this.subscriber = null;
      throw error;
    });
    return this.ready;
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const stream of [...this.streams]) this.endStream(stream);
    await this.sessionCheck.stop();
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect();
    this.subscriber = null;
    this.listeners.clear();
  }
}

/** Escapes glob characters of a Redis pattern (the prefix is configuration, not trusted to be plain). */
function escapePattern(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}
