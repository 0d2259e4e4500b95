import { describe, expect, it } from 'vitest';
import { isRefusal, MAX_ROUTES, OVERFLOW_ROUTE, UpstreamBreakers, type BreakerPermits } from '../../../src/datasources/upstream-http/breakers.js';

const make = () => {
  let now = 0;
  const changes: string[] = [];
  const set = new UpstreamBreakers({ failureThreshold: 2, coolDownMs: 100 }, () => now, (route, state) => changes.push(`${route}:${state}`));
  const permit = (route: string, bypass = false): BreakerPermits => {
    const p = set.acquire(route, bypass);
    if (isRefusal(p)) throw new Error(`refused: ${p.scope}`);
    return p;
  };
  return { set, changes, permit, advance: (ms: number) => (now += ms) };
};

describe('upstream breakers', () => {
  it("open per route: a failing route pauses only its own calls", () => {
    const { set, permit, changes } = make();
    for (let i = 0; i < 2; i++) permit('externalUsers.list').done({ route: 'failure', connection: 'success' });
    expect(set.refusal('externalUsers.list')).toEqual({ scope: 'route', retryInMs: 100 });
    expect(set.acquire('externalUsers.list')).toEqual({ scope: 'route', retryInMs: 100 });
    expect(set.refusal('roles.list')).toBeUndefined();
    permit('roles.list').done({ route: 'success', connection: 'success' });
    expect(set.connection.state()).toBe('closed');
    expect(set.worst()).toBe('open');
    expect(set.states()).toEqual([
      { route: 'connection', state: 'closed', retryInMs: 0 },
      { route: 'externalUsers.list', state: 'open', retryInMs: 100 },
      { route: 'roles.list', state: 'closed', retryInMs: 0 },
    ]);
    expect(changes).toEqual(['externalUsers.list:open']);
  });

  it('open the connection breaker when the host cannot be reached, pausing every route', () => {
    const { set, permit } = make();
    permit('devices.search').done({ route: 'cancelled', connection: 'failure' });
    permit('users.search').done({ route: 'cancelled', connection: 'failure' });
    expect(set.refusal('apps.search')).toEqual({ scope: 'connection', retryInMs: 100 });
    // Routes themselves were never blamed.
    expect(set.route('devices.search').state()).toBe('closed');
  });

  it('let a probe through open breakers; its success closes them', () => {
    const { set, permit } = make();
    for (let i = 0; i < 2; i++) permit('system.info').done({ route: 'failure', connection: 'failure' });
    expect(set.refusal('system.info')?.scope).toBe('connection');
    permit('system.info', true).done({ route: 'success', connection: 'success' });
    expect(set.worst()).toBe('closed');
  });

  it('give back the connection permit when the route refuses (a half-open connection probe is not lost)', () => {
    const { set, permit, advance } = make();
    for (let i = 0; i < 2; i++) permit('a').done({ route: 'failure', connection: 'failure' });
    advance(100);
    // Both half-open: the route's one probe is taken by a call in flight.
    const inFlight = permit('a');
    expect(set.acquire('a')).toMatchObject({ scope: 'connection' });
    inFlight.done({ route: 'cancelled', connection: 'cancelled' });
    const probe = permit('b');
    probe.done({ route: 'success', connection: 'success' });
    expect(set.connection.state()).toBe('closed');
  });

  it('stay bounded: names past the cap share one breaker', () => {
    const { set } = make();
    for (let i = 0; i < MAX_ROUTES + 50; i++) set.route(`route.${i}`);
    const routes = set.states().map((s) => s.route);
    expect(routes).toHaveLength(MAX_ROUTES + 2);
    expect(routes).toContain(OVERFLOW_ROUTE);
    expect(set.route('route.9999')).toBe(set.route(OVERFLOW_ROUTE));
  });
});
