/** One running copy of a service, as discovery knows it. */
export interface ServiceInstance {
  /** Unique per running process; stable across its heartbeats. */
  readonly id: string;
  /** The service it is an instance of, e.g. `catalog`. */
  readonly name: string;
  /** The version it runs; `unknown` where the registry cannot tell (DNS, static lists). */
  readonly version: string;
  /** Origin to send requests to, e.g. `http://10.1.2.3:8101`. */
  readonly url: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** What an instance says about itself when it registers. */
export interface InstanceRegistration {
  name: string;
  version: string;
  url: string;
  /** Defaults to a random id; pass `SERVICE_INSTANCE_ID` to make logs and the registry agree. */
  id?: string;
  metadata?: Record<string, string>;
}

/** Same instances, in the same order, each with the same address, version and metadata. */
export function sameInstances(a: readonly ServiceInstance[], b: readonly ServiceInstance[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((instance, index) => {
    const other = b[index];
    return (
      other !== undefined &&
      instance.id === other.id &&
      instance.url === other.url &&
      instance.version === other.version &&
      JSON.stringify(instance.metadata) === JSON.stringify(other.metadata)
    );
  });
}

/** Sorted by id, so two reads of the same set compare equal whatever order the source returned. */
export function byId(instances: ServiceInstance[]): ServiceInstance[] {
  return instances.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
