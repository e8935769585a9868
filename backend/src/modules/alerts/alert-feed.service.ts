import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AlertStreamMessage } from '@lien/shared';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { createRedis } from '../../queue/redis.js';
import { REDIS } from '../../queue/queue.module.js';

type Listener = (message: AlertStreamMessage) => void;

/**
 * The live alert feed across processes: changes are published on `<prefix>:alerts:<organisationId>` after
 * commit; each API process holds ONE subscriber connection (opened on the first stream client) and fans
 * messages out to its own SSE clients of that organisation.
 */
@Injectable()
export class AlertFeedService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(AlertFeedService.name);
  private subscriber: Redis | null = null;
  private ready: Promise<void> | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Ends the open streams at shutdown, so the HTTP server can close instead of waiting for the clients. */
  private readonly closers = new Set<() => void>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  channel(organisationId: string): string {
    return `${this.config.queuePrefix}:alerts:${organisationId}`;
  }

  async publish(organisationId: string, message: AlertStreamMessage): Promise<void> {
    await this.redis.publish(this.channel(organisationId), JSON.stringify(message));
  }

  /**
   * Listens to one organisation's alerts; resolves once the subscription is live. Returns the unsubscribe.
   * `onShutdown` is called if the process stops first (the stream should end its response).
   */
  async subscribe(organisationId: string, listener: Listener, onShutdown?: () => void): Promise<() => void> {
    let set = this.listeners.get(organisationId);
    if (!set) {
      set = new Set();
      this.listeners.set(organisationId, set);
    }
    set.add(listener);
    if (onShutdown) this.closers.add(onShutdown);
    const unsubscribe = (): void => {
      const current = this.listeners.get(organisationId);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(organisationId);
      if (onShutdown) this.closers.delete(onShutdown);
    };
    try {
      await this.connect();
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
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
      subscriber.on('error', (error: Error) => this.logger.warn(`alert feed subscriber: ${error.message}`));
      // The pattern is re-subscribed by ioredis after a reconnect.
      await subscriber.psubscribe(`${escapePattern(prefix)}*`);
    })().catch((error: unknown) => {
      this.ready = null;
      this.subscriber?.disconnect();
      this.subscriber = null;
      throw error;
    });
    return this.ready;
  }

  beforeApplicationShutdown(): void {
    for (const close of [...this.closers]) close();
    this.closers.clear();
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
