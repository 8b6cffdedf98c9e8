import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServiceSpec, Topology } from './topology.ts';

/**
 * From the declared topology to concrete processes: which topology, whether it makes sense, which
 * port each service gets, and the environment it is started with.
 */

/**
 * The topology to run: topology.ts, or the module named by TALAD_TOPOLOGY (it must export
 * `topology`), which lets tests and experiments run talad on other processes. Paths inside a
 * topology are relative to the project root unless absolute.
 */
export async function loadTopology(
  env: Readonly<Record<string, string | undefined>>,
  baseDir: string,
): Promise<Topology> {
  const override = env['TALAD_TOPOLOGY'];
  if (!override) return (await import('./topology.ts')).topology;
  const module = (await import(pathToFileURL(resolve(baseDir, override)).href)) as { topology?: Topology };
  if (!module.topology) throw new Error(`TALAD_TOPOLOGY=${override} does not export \`topology\``);
  return module.topology;
}

const SERVICE_NAME = /^[a-z][a-z0-9_-]{0,62}$/;
/** Log prefixes talad uses for itself, the superuser's role, and role names PostgreSQL keeps for itself. */
const RESERVED = new Set(['talad', 'postgres', 'public']);

/** Everything wrong with a topology, so all of it can be fixed at once; empty when it is fine. */
export function checkTopology(topology: Topology): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const ports = new Map<number, string>([[topology.postgresPort, 'postgres']]);
  for (const service of topology.services) {
    const { name } = service;
    if (!SERVICE_NAME.test(name)) problems.push(`service name '${name}' must be lower case letters, digits, - or _`);
    if (RESERVED.has(name) || name.startsWith('pg_')) problems.push(`service name '${name}' is reserved`);
    if (seen.has(name)) problems.push(`service '${name}' is declared twice`);
    if (!Number.isInteger(service.port) || service.port < 1 || service.port > 65_535) {
      problems.push(`${name}: port ${service.port} is not a port number`);
    }
    const holder = ports.get(service.port);
    if (holder !== undefined) problems.push(`${name}: port ${service.port} is already taken by ${holder}`);
    ports.set(service.port, name);
    for (const dependency of service.dependsOn ?? []) {
      // Requiring dependencies to come first keeps the file's order the start order, and rules out cycles.
      if (!seen.has(dependency)) {
        const known = topology.services.some((other) => other.name === dependency);
        problems.push(
          known
            ? `${name} depends on ${dependency}, which must then be listed before it`
            : `${name} depends on unknown service '${dependency}'`,
        );
      }
    }
    if (service.seed !== undefined && service.migrations === undefined) {
      problems.push(`${name} has a seed but no migrations, so no database to seed`);
    }
    seen.add(name);
  }
  for (const platform of topology.platformDatabases) {
    if (seen.has(platform.name)) problems.push(`platform database '${platform.name}' has the name of a service`);
  }
  if (!seen.has(topology.entryPoint)) problems.push(`entryPoint '${topology.entryPoint}' is not one of the services`);
  return problems;
}

/**
 * What `--scale` may not do: name a service the topology does not have, or scale the entry point (its
 * port is the one people open; nothing in front of it would spread calls over more of them).
 */
export function checkScale(topology: Topology, scale: Readonly<Record<string, number>>): string[] {
  return Object.keys(scale).flatMap((name) => {
    if (!topology.services.some((service) => service.name === name)) return [`--scale: no service named '${name}'`];
    if (name === topology.entryPoint) return [`--scale: ${name} is the entry point and runs once`];
    return [];
  });
}

/** How many instances beyond the first `scale` asks for, in all: each needs a free port. */
export function extraInstanceCount(scale: Readonly<Record<string, number>>): number {
  return Object.values(scale).reduce((sum, count) => sum + Math.max(0, count - 1), 0);
}

/** One process to run: a service, or one instance of a scaled service. */
export interface PlannedService {
  readonly spec: ServiceSpec;
  /** Process and log name: the service's name, or `catalog#1`, `catalog#2`… for a scaled service. */
  readonly name: string;
  /** 1 for the first (or only) instance, which keeps the topology's port. */
  readonly instance: number;
  readonly port: number;
  /** Absolute paths. */
  readonly entry: string;
  readonly migrations: string | undefined;
  readonly seed: string | undefined;
}

/**
 * Resolves paths and ports: every port is shifted by `portOffset`, then `entryPort` (from --port or
 * PORT) moves the entry point. A service scaled to N instances is planned N times, side by side: the
 * first on its own port, the others on `extraPorts`, taken in order.
 */
export function planServices(
  topology: Topology,
  root: string,
  entryPort: number | undefined,
  portOffset = 0,
  scale: Readonly<Record<string, number>> = {},
  extraPorts: readonly number[] = [],
): PlannedService[] {
  const path = (file: string | undefined): string | undefined =>
    file === undefined ? undefined : isAbsolute(file) ? file : resolve(root, file);
  const spare = [...extraPorts];
  return topology.services.flatMap((spec) => {
    const count = scale[spec.name] ?? 1;
    return Array.from({ length: count }, (_, index) => {
      const fixedPort =
        spec.name === topology.entryPoint && entryPort !== undefined ? entryPort : spec.port + portOffset;
      const port = index === 0 ? fixedPort : spare.shift();
      if (port === undefined) throw new Error(`no port left for instance ${index + 1} of ${spec.name}`);
      return {
        spec,
        name: count > 1 ? `${spec.name}#${index + 1}` : spec.name,
        instance: index + 1,
        port,
        entry: path(spec.entry) ?? spec.entry,
        migrations: path(spec.migrations),
        seed: path(spec.seed),
      };
    });
  });
}

/** The id the process logs and registers under: `catalog-2`. */
export function instanceIdOf(service: PlannedService): string {
  return `${service.spec.name}-${service.instance}`;
}

/** A service's URL for the others' environment: its first instance's (the one on the topology's port). */
export function urlOfService(services: readonly PlannedService[]): (name: string) => string {
  return (name) => {
    const service = services.find((candidate) => candidate.spec.name === name && candidate.instance === 1);
    if (!service) throw new Error(`the topology asks for the URL of unknown service '${name}'`);
    return `http://127.0.0.1:${service.port}`;
  };
}

/**
 * The environment of a service: talad's own environment, then what the topology adds, then what
 * talad decides (so a PORT or DATABASE_URL in the shell cannot point a service at the wrong place).
 */
export function serviceEnvironment(
  service: PlannedService,
  services: readonly PlannedService[],
  databaseUrl: string | undefined,
  parent: NodeJS.ProcessEnv,
  platformUrls: Readonly<Record<string, string>> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...platformUrls,
    ...withoutEmpty(parent),
    ...(service.spec.env?.(urlOfService(services)) ?? {}),
    PORT: String(service.port),
    HOST: '127.0.0.1',
    // Stable across restarts, so a restarted process takes over its own registration.
    SERVICE_INSTANCE_ID: instanceIdOf(service),
  };
  if (databaseUrl === undefined) delete env['DATABASE_URL'];
  else env['DATABASE_URL'] = databaseUrl;
  if (!service.spec.loadBalances) return env;
  // A scaled service has no one URL: the process finds all its instances in the registry instead.
  const scaledUrls = new Set(
    services
      .filter((other) => other.instance > 1)
      .map((other) => `${other.spec.name.toUpperCase().replaceAll('-', '_')}_URL`),
  );
  return Object.fromEntries(Object.entries(env).filter(([name]) => !scaledUrls.has(name)));
}

/** A variable set to the empty string counts as unset, so `BROKER_URL= npm start` means the default. */
function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}
