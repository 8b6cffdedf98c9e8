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

export interface PlannedService {
  readonly spec: ServiceSpec;
  readonly port: number;
  /** Absolute paths. */
  readonly entry: string;
  readonly migrations: string | undefined;
  readonly seed: string | undefined;
}

/**
 * Resolves paths and ports: every port is shifted by `portOffset`, then `entryPort` (from --port or
 * PORT) moves the entry point.
 */
export function planServices(
  topology: Topology,
  root: string,
  entryPort: number | undefined,
  portOffset = 0,
): PlannedService[] {
  const path = (file: string | undefined): string | undefined =>
    file === undefined ? undefined : isAbsolute(file) ? file : resolve(root, file);
  return topology.services.map((spec) => ({
    spec,
    port: spec.name === topology.entryPoint && entryPort !== undefined ? entryPort : spec.port + portOffset,
    entry: path(spec.entry) ?? spec.entry,
    migrations: path(spec.migrations),
    seed: path(spec.seed),
  }));
}

export function urlOfService(services: readonly PlannedService[]): (name: string) => string {
  return (name) => {
    const service = services.find((candidate) => candidate.spec.name === name);
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
    // One instance per service here; a stable id lets a restarted process take over its registration.
    SERVICE_INSTANCE_ID: `${service.spec.name}-1`,
  };
  if (databaseUrl === undefined) delete env['DATABASE_URL'];
  else env['DATABASE_URL'] = databaseUrl;
  return env;
}

/** A variable set to the empty string counts as unset, so `BROKER_URL= npm start` means the default. */
function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}
