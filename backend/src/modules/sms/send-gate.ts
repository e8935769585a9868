/** At most `size` holders at once; waiters are served first come, first served. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  /** Resolves with a release function (idempotent) once a place is free. */
  async acquire(): Promise<() => void> {
    if (this.active < this.size && this.waiting.length === 0) this.active += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The place goes straight to the next waiter.
      if (next) next();
      else this.active -= 1;
    };
  }
}

/**
 * At most `perSecond` starts within any one-second window, in this process (a sliding window over the last
 * `perSecond` start times). BullMQ's limiter spaces job starts across workers, but jobs taken ahead of their
 * due time (SMS_PREPARE_AHEAD_MS) all become due together, which the queue's limiter cannot see.
 */
export class SlidingRateLimiter {
  /** Times of the last `perSecond` starts (ring buffer, oldest at `next`). */
  private readonly starts: number[];
  private next = 0;
  private readonly waiting: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.starts = new Array<number>(perSecond).fill(Number.NEGATIVE_INFINITY);
  }

  /** Resolves when a start is allowed (and counts it). */
  async take(): Promise<void> {
    if (this.waiting.length === 0 && this.admit()) return;
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.drain();
    });
  }

  private admit(): boolean {
    const now = this.now();
    if (now - this.starts[this.next]! < 1_000) return false;
    this.starts[this.next] = now;
    this.next = (this.next + 1) % this.starts.length;
    return true;
  }

  private drain(): void {
    while (this.waiting.length > 0 && this.admit()) this.waiting.shift()!();
    if (this.waiting.length === 0 || this.timer) return;
    // Look again when the oldest start leaves the window.
    const wait = Math.max(1, Math.ceil(1_000 - (this.now() - this.starts[this.next]!)));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, wait);
  }
}
