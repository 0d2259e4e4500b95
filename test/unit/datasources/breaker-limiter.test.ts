import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerState } from '../../../src/datasources/upstream-http/breaker.js';
import { ConcurrencyLimiter } from '../../../src/datasources/upstream-http/limiter.js';

describe('circuit breaker', () => {
  const make = () => {
    let now = 0;
    const changes: BreakerState[] = [];
    const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 100 }, () => now, (s) => changes.push(s));
    return { breaker, changes, advance: (ms: number) => (now += ms) };
  };

  it('opens after consecutive failures; a success in between resets the count', () => {
    const { breaker, changes } = make();
    breaker.tryAcquire()?.done('failure');
    breaker.tryAcquire()?.done('success');
    breaker.tryAcquire()?.done('failure');
    expect(breaker.state()).toBe('closed');
    breaker.tryAcquire()?.done('failure');
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.retryInMs()).toBe(100);
    expect(changes).toEqual(['open']);
  });

  it('lets exactly one probe through when half-open; its outcome closes or reopens', () => {
    const { breaker, changes, advance } = make();
    breaker.tryAcquire()?.done('failure');
    breaker.tryAcquire()?.done('failure');
    advance(100);
    expect(breaker.state()).toBe('half-open');
    const probe = breaker.tryAcquire();
    expect(probe).toBeDefined();
    expect(breaker.tryAcquire()).toBeUndefined();
    probe?.done('failure');
    expect(breaker.state()).toBe('open');
    advance(100);
    breaker.tryAcquire()?.done('success');
    expect(breaker.state()).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('frees the probe slot when the probe is cancelled, and ignores a second report', () => {
    const { breaker, advance } = make();
    breaker.tryAcquire()?.done('failure');
    breaker.tryAcquire()?.done('failure');
    advance(100);
    const probe = breaker.tryAcquire();
    probe?.done('cancelled');
    probe?.done('failure');
    expect(breaker.state()).toBe('half-open');
    expect(breaker.tryAcquire()).toBeDefined();
  });
});

describe('concurrency limiter', () => {
  it('queues beyond the limit and serves in FIFO order', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const order: number[] = [];
    const releases = await Promise.all([limiter.acquire(), limiter.acquire()]);
    const waiting = [3, 4, 5].map((n) => limiter.acquire().then((release) => (order.push(n), release)));
    expect(limiter.queued).toBe(3);
    releases[0]?.();
    releases[0]?.();
    const third = await waiting[0];
    expect(limiter.running).toBe(2);
    releases[1]?.();
    third?.();
    await Promise.all(waiting).then((rs) => rs.forEach((r) => r()));
    expect(order).toEqual([3, 4, 5]);
    expect(limiter).toMatchObject({ running: 0, queued: 0 });
  });

  it('removes an aborted waiter from the queue', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    expect(limiter.queued).toBe(0);
    release();
    expect(limiter.running).toBe(0);
    await expect(limiter.run(async () => 42)).resolves.toBe(42);
  });
});
