import type { Discovery } from './discovery.ts';
import type { ServiceInstance } from './instance.ts';
import { platformRegistered } from './platform-registration.ts';

export interface StaticDiscoveryOptions {
  /** Origins of each service's instances, by service name: `{ catalog: ['http://a:8101', 'http://b:8101'] }`. */
  services: Readonly<Record<string, readonly string[]>>;
}

/**
 * Instances from configuration, fixed for the life of the process: one origin per service in the
 * embedded topology (`CATALOG_URL`), or a list (`CATALOG_URLS=http://a,http://b`). Nothing expires.
 *
 * @example
 * const discovery = createStaticDiscovery({ services: { catalog: ['http://127.0.0.1:8101'] } });
 */
export function createStaticDiscovery(options: StaticDiscoveryOptions): Discovery {
  const lists = new Map<string, readonly ServiceInstance[]>(
    Object.entries(options.services).map(([name, urls]) => [
      name,
      [...new Set(urls)].map((url) => ({ id: url, name, version: 'unknown', url, metadata: {} })),
    ]),
  );
  const listOf = (name: string): readonly ServiceInstance[] => lists.get(name) ?? [];
  return {
    kind: 'static',
    register: async (registration) => platformRegistered(registration),
    instances: async (name) => listOf(name),
    watch(name, onChange) {
      const instances = listOf(name);
      let open = true;
      queueMicrotask(() => {
        if (open) onChange(instances);
      });
      return {
        current: instances,
        ready: Promise.resolve(instances),
        close() {
          open = false;
        },
      };
    },
    async close() {},
  };
}
