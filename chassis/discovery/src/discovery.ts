import type { InstanceRegistration, ServiceInstance } from './instance.ts';

/**
 * A service registry: instances register themselves, clients find and watch them. Every registry
 * (PostgreSQL, DNS, static list) has this shape, so callers do not care which one runs.
 */
export interface Discovery {
  /** `postgres`, `dns` or `static`: which registry this is, for logs and status pages. */
  readonly kind: DiscoveryKind;
  /**
   * Announces this instance until `deregister()` (or `close()`). Registries that learn about instances
   * elsewhere (DNS: the platform does it; static: configuration does) accept and ignore it.
   */
  register(registration: InstanceRegistration): Promise<Registration>;
  /** The live instances of `name` now, read from the source. */
  instances(name: string): Promise<readonly ServiceInstance[]>;
  /**
   * Follows the instances of `name`: `onChange` runs with the whole list once loaded, then each time
   * an instance joins, leaves, expires or changes.
   */
  watch(name: string, onChange: (instances: readonly ServiceInstance[]) => void): InstanceWatch;
  /** Deregisters what this object registered, stops every watch and releases connections. */
  close(): Promise<void>;
}

export type DiscoveryKind = 'postgres' | 'dns' | 'static';

export interface Registration {
  readonly instance: ServiceInstance;
  /** Removes the instance at once (clients hear of it promptly) and stops its heartbeats. */
  deregister(): Promise<void>;
}

export interface InstanceWatch {
  /** The latest list; empty until the first load. */
  readonly current: readonly ServiceInstance[];
  /** Settles after the first load, with its result (which may be empty). */
  readonly ready: Promise<readonly ServiceInstance[]>;
  close(): void;
}
