import { lookup, Resolver } from 'node:dns/promises';
import { isIPv6 } from 'node:net';
import type { Discovery } from './discovery.ts';
import { byId, type ServiceInstance } from './instance.ts';
import { platformRegistered } from './platform-registration.ts';
import { createWatchHub } from './watch-hub.ts';

export interface DnsDiscoveryOptions {
  /**
   * Where a service's instances are, `{name}` standing for the service's name, e.g.
   * `http://{name}.talad.svc.cluster.local:8080` for Kubernetes headless services. The host is resolved;
   * each address is one instance, on the template's scheme and port.
   */
  template: string;
  /** How often a watched name is resolved again. Default 5 s. */
  refreshIntervalMs?: number;
  /** Hostname to addresses; the default asks the system resolver (so /etc/hosts and search domains apply). */
  resolve?: (hostname: string) => Promise<string[]>;
  onError?: (error: unknown) => void;
}

/** Answers meaning "no such name or no addresses": the service has no ready instance, not a DNS failure. */
const NO_ADDRESSES = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME']);

/**
 * Instances from DNS, as on Kubernetes, where a headless service's name resolves to one A record per ready
 * pod. The platform registers and removes pods, so `register()` here is accepted and does nothing.
 *
 * @example
 * const discovery = createDnsDiscovery({ template: 'http://{name}-headless.talad.svc.cluster.local:8101' });
 * const catalog = discovery.watch('catalog', (instances) => balancer.update(instances));
 */
export function createDnsDiscovery(options: DnsDiscoveryOptions): Discovery {
  const resolve = options.resolve ?? systemResolve;
  const onError = options.onError ?? (() => undefined);
  const read = async (name: string): Promise<ServiceInstance[]> => {
    const target = new URL(options.template.replaceAll('{name}', encodeURIComponent(name)));
    const port = target.port || (target.protocol === 'https:' ? '443' : '80');
    let addresses: string[];
    try {
      addresses = await resolve(target.hostname);
    } catch (error) {
      if (NO_ADDRESSES.has((error as { code?: string }).code ?? '')) return [];
      throw error;
    }
    return byId(
      [...new Set(addresses)].map((address) => {
        const host = isIPv6(address) ? `[${address}]` : address;
        return {
          id: `${host}:${port}`,
          name,
          version: 'unknown',
          url: `${target.protocol}//${host}:${port}`,
          metadata: { hostname: target.hostname },
        };
      }),
    );
  };
  const hub = createWatchHub({
    refreshIntervalMs: options.refreshIntervalMs ?? 5_000,
    onError: (error) => onError(error),
    load: async (name) => ({ instances: await read(name) }),
  });
  return {
    kind: 'dns',
    register: async (registration) => platformRegistered(registration),
    instances: read,
    watch: (name, onChange) => hub.watch(name, onChange),
    async close() {
      hub.close();
    },
  };
}

/**
 * A resolver that asks the given DNS servers for A records directly, bypassing the system's resolver.
 *
 * @example
 * createDnsDiscovery({ template: 'http://{name}.shop.internal:8080', resolve: resolveARecords(['10.0.0.10']) });
 */
export function resolveARecords(servers: string[]): (hostname: string) => Promise<string[]> {
  const resolver = new Resolver({ timeout: 2_000, tries: 2 });
  resolver.setServers(servers);
  return (hostname) => resolver.resolve4(hostname);
}

async function systemResolve(hostname: string): Promise<string[]> {
  return (await lookup(hostname, { all: true })).map((entry) => entry.address);
}
