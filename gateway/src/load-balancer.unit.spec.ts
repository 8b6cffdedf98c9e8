import { describe, expect, it } from 'vitest';
import { createLoadBalancer } from './load-balancer.ts';
import type { UpstreamInstance } from './upstream-instance.ts';

function instance(id: string, outstanding = 0, ejected = false): UpstreamInstance {
  return {
    id,
    url: `http://${id}`,
    pool: undefined as never,
    outstanding,
    ejected,
    ejections: 0,
    retired: false,
    probe: undefined,
  };
}

describe('load balancer', () => {
  it('round robin takes each healthy instance in turn', () => {
    const balancer = createLoadBalancer('round-robin');
    const instances = [instance('a'), instance('b'), instance('c', 0, true)];
    const picks = Array.from({ length: 4 }, () => balancer.pick(instances, undefined, true)?.id);
    expect(picks).toEqual(['a', 'b', 'a', 'b']);
  });

  it('least-outstanding takes the instance with the fewest requests in flight', () => {
    const balancer = createLoadBalancer('least-outstanding');
    const instances = [instance('a', 5), instance('b', 1), instance('c', 3)];
    expect(balancer.pick(instances, undefined, true)?.id).toBe('b');
  });

  it('skips excluded instances, and finds none when all are tried', () => {
    const balancer = createLoadBalancer('least-outstanding');
    const [a, b] = [instance('a'), instance('b')];
    expect(balancer.pick([a, b], [a], false)).toBe(b);
    expect(balancer.pick([a, b], [a, b], true)).toBeUndefined();
  });

  it('uses an ejected instance for a first attempt only when no healthy one is left', () => {
    const balancer = createLoadBalancer('round-robin');
    const instances = [instance('a', 0, true), instance('b', 0, true)];
    expect(balancer.pick(instances, undefined, true)).toBeDefined();
    expect(balancer.pick(instances, undefined, false)).toBeUndefined();
    expect(balancer.pick([], undefined, true)).toBeUndefined();
  });
});
