import type { Discovery } from './discovery.ts';
import { createDnsDiscovery, type DnsDiscoveryOptions } from './dns-discovery.ts';
import { createPostgresDiscovery, type PostgresDiscoveryOptions } from './postgres-discovery.ts';
import { createStaticDiscovery, type StaticDiscoveryOptions } from './static-discovery.ts';

/** Which registry to use, with its settings. */
export type DiscoveryConfig =
  | ({ kind: 'postgres'; static?: StaticOverrides } & PostgresDiscoveryOptions)
  | ({ kind: 'dns'; static?: StaticOverrides } & DnsDiscoveryOptions)
  | ({ kind: 'static' } & StaticDiscoveryOptions);

/** Services whose origins configuration fixes, looked up there instead of in the registry. */
export type StaticOverrides = Readonly<Record<string, readonly string[]>>;

/**
 * Builds the registry the configuration names. Services listed under `static` bypass the registry,
 * so one process can pin a service to a known address while finding the others.
 *
 * @example
 * const discovery = createDiscovery(discoveryConfigFromEnv(['catalog', 'identity']));
 * const registration = await discovery.register({ name: 'catalog', version, url });
 */
export function createDiscovery(config: DiscoveryConfig): Discovery {
  switch (config.kind) {
    case 'static':
      return createStaticDiscovery(config);
    case 'postgres':
      return withStaticOverrides(createPostgresDiscovery(config), config.static);
    case 'dns':
      return withStaticOverrides(createDnsDiscovery(config), config.static);
  }
}

/**
 * Reads the registry from the environment:
 * - `DISCOVERY_URL=postgres://…`: the PostgreSQL registry in that database;
 * - `DISCOVERY_URL=dns://{name}.talad.svc.cluster.local:8080`: DNS, `{name}` standing for the service;
 * - for each of `services`, `<NAME>_URLS=http://a,http://b` or `<NAME>_URL=http://a` fixes its
 *   instances, with or without a registry (`order-history` reads `ORDER_HISTORY_URLS`).
 * Throws an error naming the variable when a value is not usable.
 *
 * @example
 * // CATALOG_URLS=http://127.0.0.1:8101,http://127.0.0.1:8102
 * discoveryConfigFromEnv(['catalog']); // { kind: 'static', services: { catalog: [ …two origins ] } }
 */
export function discoveryConfigFromEnv(
  services: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): DiscoveryConfig {
  const fixed: Record<string, string[]> = {};
  for (const service of services) {
    const urls = staticUrlsOf(service, env);
    if (urls) fixed[service] = urls;
  }
  const registry = env['DISCOVERY_URL'];
  if (!registry) return { kind: 'static', services: fixed };
  if (/^postgres(ql)?:\/\//.test(registry)) return { kind: 'postgres', url: registry, static: fixed };
  if (registry.startsWith('dns://')) {
    const template = `http://${registry.slice('dns://'.length)}`;
    checkUrl('DISCOVERY_URL', template.replaceAll('{name}', 'service'));
    return { kind: 'dns', template, static: fixed };
  }
  throw new Error('DISCOVERY_URL: expected postgres://… or dns://{name}.<domain>:<port>');
}

/** `order-history` → `ORDER_HISTORY`: the prefix of a service's variables. */
export function envPrefixOf(service: string): string {
  return service.toUpperCase().replaceAll('-', '_');
}

function staticUrlsOf(service: string, env: NodeJS.ProcessEnv): string[] | undefined {
  const prefix = envPrefixOf(service);
  const list = env[`${prefix}_URLS`];
  if (list) {
    const urls = list
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean);
    for (const url of urls) checkUrl(`${prefix}_URLS`, url);
    return urls;
  }
  const single = env[`${prefix}_URL`];
  if (!single) return undefined;
  checkUrl(`${prefix}_URL`, single);
  return [single];
}

function checkUrl(variable: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${variable}: ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${variable}: ${JSON.stringify(value)} must be an http:// or https:// origin`);
  }
}

function withStaticOverrides(registry: Discovery, overrides: StaticOverrides | undefined): Discovery {
  if (!overrides || Object.keys(overrides).length === 0) return registry;
  const fixed = createStaticDiscovery({ services: overrides });
  const pick = (name: string): Discovery => (name in overrides ? fixed : registry);
  return {
    kind: registry.kind,
    register: (registration) => registry.register(registration),
    instances: (name) => pick(name).instances(name),
    watch: (name, onChange) => pick(name).watch(name, onChange),
    close: () => registry.close(),
  };
}
