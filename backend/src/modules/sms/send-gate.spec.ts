import { Semaphore, SlidingRateLimiter } from './send-gate.js';

describe('Semaphore', () => {
  it('lets `size` holders in, then the next waiter as each leaves, in order', async () => {
    const places = new Semaphore(2);
    const first = await places.acquire();
    const second = await places.acquire();
    const entered: number[] = [];
    const third = places.acquire().then((release) => (entered.push(3), release));
    const fourth = places.acquire().then((release) => (entered.push(4), release));
    await new Promise((resolve) => setImmediate(resolve));
    expect(entered).toEqual([]);
    first();
    first(); // releasing twice frees one place only
    await new Promise((resolve) => setImmediate(resolve));
    expect(entered).toEqual([3]);
    second();
    (await third)();
    (await fourth)();
    expect(entered).toEqual([3, 4]);
    // All free again: two enter at once.
    await Promise.all([places.acquire(), places.acquire()]);
  });
});

describe('SlidingRateLimiter', () => {
  it('starts at most `perSecond` within any one-second window', async () => {
    let now = 0;
    const limiter = new SlidingRateLimiter(3, () => now);
    const started: number[] = [];
    const takes = Array.from({ length: 7 }, () => limiter.take().then(() => started.push(now)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 0, 0]);
    now = 999;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(started).toHaveLength(3);
    now = 1_000;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(started).toEqual([0, 0, 0, 1_000, 1_000, 1_000]);
    now = 2_000;
    await Promise.all(takes);
    expect(started).toEqual([0, 0, 0, 1_000, 1_000, 1_000, 2_000]);
  });
});
