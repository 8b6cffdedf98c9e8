import { Pool } from 'undici';

/** One instance of an upstream service, with its own keep-alive pool and what the balancer needs to know. */
export interface UpstreamInstance {
  readonly id: string;
  readonly url: string;
  readonly pool: Pool;
  /** Requests sent and not yet answered in full. */
  outstanding: number;
  /** Out of rotation after a failure, until a probe finds it answering again. */
  ejected: boolean;
  /** Ejections in a row without a recovery, for the back-off. */
  ejections: number;
  /** Set once discovery dropped it: no more probes, its pool drains and closes. */
  retired: boolean;
  /** The pending health probe while ejected. */
  probe: NodeJS.Timeout | undefined;
}

export function createUpstreamInstance(id: string, url: string): UpstreamInstance {
  return {
    id,
    url,
    pool: new Pool(url, {
      connections: 128,
      keepAliveTimeout: 30_000,
      // Below the upstream's own keep-alive timeout (72 s in the chassis), so we never reuse a socket it is closing.
      keepAliveMaxTimeout: 60_000,
      connect: { timeout: 2_000 },
    }),
    outstanding: 0,
    ejected: false,
    ejections: 0,
    retired: false,
    probe: undefined,
  };
}
