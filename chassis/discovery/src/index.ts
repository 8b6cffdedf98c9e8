export type { Discovery, DiscoveryKind, Registration, InstanceWatch } from './discovery.ts';
export type { ServiceInstance, InstanceRegistration } from './instance.ts';
export {
  createDiscovery,
  discoveryConfigFromEnv,
  envPrefixOf,
  type DiscoveryConfig,
  type StaticOverrides,
} from './create-discovery.ts';
export { createPostgresDiscovery, type PostgresDiscoveryOptions } from './postgres-discovery.ts';
export { createDnsDiscovery, resolveARecords, type DnsDiscoveryOptions } from './dns-discovery.ts';
export { createStaticDiscovery, type StaticDiscoveryOptions } from './static-discovery.ts';
