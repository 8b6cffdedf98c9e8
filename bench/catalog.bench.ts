/**
 * Product search through the gateway beside the same searches straight at catalog, in one run, with the
 * load from a separate process. Also how long `npm start` takes to be ready, cold and warm, and each
 * process's resident memory after the load.
 */
import { commandLineOf, residentMemoryMiB } from '../tests/support/process-tree.ts';
import { makeDataDir, removeDataDir, startSystem } from '../tests/support/system.ts';
import { runLoad, type LoadResult } from './support/run-load.ts';

// Not 2000: the gateway would land on 10080, a port fetch refuses to connect to.
const PORT_OFFSET = 3_000;
const CATALOG_PORT = 8101 + PORT_OFFSET;
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const QUERIES = [
  '/products?q=addidas%20nmd',
  '/products?q=running%20shoes&sort=price_asc',
  '/products?category=Sneakers&pageSize=24',
  '/products?q=sony%20headphones&page=2',
  '/products?brand=Nike&minPrice=100000&maxPrice=500000',
  '/products?q=snekers',
];

function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

export async function run(): Promise<void> {
  const dataDir = await makeDataDir('talad-bench-');
  try {
    say('starting the system cold (empty data directory)…');
    // The bench measures proxying: one client address would hit the per-address rate limit, and cache
    // hits would flatter the gateway.
    const env = { GATEWAY_RATE_LIMITS: 'off', GATEWAY_CACHE: 'off' };
    const cold = await startSystem({ dataDir, portOffset: PORT_OFFSET, env });
    await cold.stop('SIGTERM');
    say(`  ready in ${(cold.readyAfterMs / 1000).toFixed(1)} s; stopping and starting warm…`);
    const system = await startSystem({ dataDir, portOffset: PORT_OFFSET, env });
    say(`  ready in ${(system.readyAfterMs / 1000).toFixed(1)} s`);

    const direct = { origin: `http://127.0.0.1:${CATALOG_PORT}`, paths: QUERIES };
    const viaGateway = { origin: system.gatewayUrl, paths: QUERIES.map((path) => `/api/catalog${path}`) };
    say(`warming up (${CONNECTIONS} connections)…`);
    await runLoad({ ...direct, connections: CONNECTIONS, durationSeconds: 3 });
    await runLoad({ ...viaGateway, connections: CONNECTIONS, durationSeconds: 3 });

    // Alternating rounds, so drift on a shared machine hits both sides alike.
    const directRounds: LoadResult[] = [];
    const gatewayRounds: LoadResult[] = [];
    for (let round = 1; round <= 2; round++) {
      say(`round ${round}/2: direct to catalog for ${SECONDS} s…`);
      directRounds.push(await runLoad({ ...direct, connections: CONNECTIONS, durationSeconds: SECONDS }));
      say(`round ${round}/2: through the gateway for ${SECONDS} s…`);
      gatewayRounds.push(await runLoad({ ...viaGateway, connections: CONNECTIONS, durationSeconds: SECONDS }));
    }

    const memory: Record<string, number> = {};
    for (const pid of system.processes()) {
      const name = processName(commandLineOf(pid));
      const rss = residentMemoryMiB(pid);
      if (name && rss !== undefined) memory[name] = Math.round(((memory[name] ?? 0) + rss) * 10) / 10;
    }
    await system.stop('SIGTERM');

    const directResult = average(directRounds);
    const gatewayResult = average(gatewayRounds);
    const failures = [...directRounds, ...gatewayRounds].reduce(
      (sum, result) => sum + result.errors + result.non2xx,
      0,
    );
    say('');
    say(`            rps      p50 ms   p99 ms`);
    say(`direct     ${pad(directResult.rps)} ${pad(directResult.p50_ms)} ${pad(directResult.p99_ms)}`);
    say(`gateway    ${pad(gatewayResult.rps)} ${pad(gatewayResult.p50_ms)} ${pad(gatewayResult.p99_ms)}`);
    say(
      `start      cold ${(cold.readyAfterMs / 1000).toFixed(1)} s, warm ${(system.readyAfterMs / 1000).toFixed(1)} s`,
    );
    say(
      `memory     ${Object.entries(memory)
        .map(([name, mib]) => `${name} ${mib} MiB`)
        .join(', ')}`,
    );
    if (failures > 0) say(`warning: ${failures} requests failed or were not 2xx`);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'catalog',
        gateway_rps: gatewayResult.rps,
        direct_rps: directResult.rps,
        ratio: Math.round((gatewayResult.rps / directResult.rps) * 100) / 100,
        gateway_p99_ms: gatewayResult.p99_ms,
        direct_p99_ms: directResult.p99_ms,
        start_cold_s: Math.round(cold.readyAfterMs / 100) / 10,
        start_warm_s: Math.round(system.readyAfterMs / 100) / 10,
        rss_mib: memory,
        failed_requests: failures,
      })}\n`,
    );
  } finally {
    await removeDataDir(dataDir);
  }
}

function processName(commandLine: string): string | undefined {
  const service = /(?:services\/([\w-]+)|(gateway))\/src\/main\.ts/.exec(commandLine);
  if (service) return service[1] ?? service[2];
  if (/tools\/talad\/src\/main\.ts/.test(commandLine)) return 'talad';
  if (/postgres/.test(commandLine)) return 'postgres';
  return undefined;
}

function average(rounds: LoadResult[]): LoadResult {
  const mean = (pick: (result: LoadResult) => number): number =>
    Math.round((rounds.reduce((sum, result) => sum + pick(result), 0) / rounds.length) * 100) / 100;
  return {
    rps: Math.round(mean((result) => result.rps)),
    p50_ms: mean((result) => result.p50_ms),
    p99_ms: mean((result) => result.p99_ms),
    errors: mean((result) => result.errors),
    non2xx: mean((result) => result.non2xx),
  };
}

function pad(value: number): string {
  return String(value).padStart(8);
}
