import type { UpstreamInstance } from './upstream-instance.ts';

export type Balancing = 'round-robin' | 'least-outstanding';

/** Picks the instance for the next attempt. */
export interface LoadBalancer {
  /**
   * A healthy instance not in `exclude`. When every instance is ejected, a first attempt (`allowEjected`)
   * still gets one of them: trying a maybe-dead instance beats refusing everyone ("panic mode").
   */
  pick(
    instances: readonly UpstreamInstance[],
    exclude: readonly UpstreamInstance[] | undefined,
    allowEjected: boolean,
  ): UpstreamInstance | undefined;
}

/**
 * Round robin spreads requests evenly; least-outstanding sends each to the instance with the fewest
 * requests in flight, so a slow instance gets less (ties go round robin).
 *
 * @example
 * const balancer = createLoadBalancer('least-outstanding');
 * const instance = balancer.pick(upstream.instances, undefined, true);
 */
export function createLoadBalancer(balancing: Balancing): LoadBalancer {
  let cursor = 0;
  return {
    pick(instances, exclude, allowEjected) {
      const count = instances.length;
      if (count === 0) return undefined;
      const start = cursor % count;
      cursor = start + 1;
      let best: UpstreamInstance | undefined;
      for (let step = 0; step < count; step++) {
        const candidate = instances[(start + step) % count];
        if (candidate === undefined || candidate.ejected || exclude?.includes(candidate)) continue;
        if (balancing === 'round-robin') {
          // The next turn starts after this one, so skipping an ejected instance does not favour its neighbour.
          cursor = start + step + 1;
          return candidate;
        }
        if (best === undefined || candidate.outstanding < best.outstanding) best = candidate;
      }
      if (best !== undefined || !allowEjected) return best;
      for (let step = 0; step < count; step++) {
        const candidate = instances[(start + step) % count];
        if (candidate !== undefined && !exclude?.includes(candidate)) return candidate;
      }
      return undefined;
    },
  };
}
