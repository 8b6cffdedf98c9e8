/**
 * The gateway as a proxy, beside nginx, in one run: the same tiny backend (a node:http server answering a
 * small JSON body) reached directly, through the gateway and through nginx, each in its own process, with
 * the load from another. Saturation gives the throughput; a fixed rate at half the gateway's saturation
 * gives the latency the gateway adds. The gateway runs its full request path (security headers, access
 * check, metrics, tracing, an access-log line per request, balancing, breaker); the route table's rate
 * limit and cache are switched off, since they would measure something else (429s, cache hits).
 * Throughput on a shared machine moves with whatever else runs, so each figure is the median of
 * alternating rounds, and the CPU time each server spends per request (from /proc, which other load
 * barely disturbs) is reported beside it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendantsOf } from '../tests/support/process-tree.ts';
import { runLoad, type LoadResult } from './support/run-load.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 8);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
// autocannon paces a rate per connection and per second, each connection sending its share back to back:
// few connections keep those bursts from queueing, so the latency measured is the proxy's, not a queue's.
const HALF_LOAD_CONNECTIONS = Number(process.env['BENCH_HALF_CONNECTIONS'] ?? 4);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
// Linux's unit for CPU time in /proc/<pid>/stat.
const TICKS_PER_SECOND = 100;
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// The backend: as little work per request as Node allows, so the proxies are what differs.
const BACKEND = `
const body = JSON.stringify({ id: 'p-1', name: 'Sneaker', price: { amount: 199000, currency: 'THB' }, stock: 'in' });
const server = require('node:http').createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
server.keepAliveTimeout = 75_000;
server.listen(Number(process.argv[1]), '127.0.0.1');
`;

function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

export async function run(): Promise<void> {
  const nginx = findNginx();
  if (!nginx) {
    say('nginx is not installed; the gateway is measured against it. Install it with:');
    say('  apt-get install -y nginx-light    (Debian/Ubuntu; or your system’s nginx package)');
    process.exit(1);
  }
  const dir = await mkdtemp(join(tmpdir(), 'talad-bench-gateway-'));
  const processes: ChildProcess[] = [];
  try {
    const [backendPort, gatewayPort, nginxPort] = [await freePort(), await freePort(), await freePort()];
    const backend = `http://127.0.0.1:${backendPort}`;
    const backendProcess = spawn(process.execPath, ['-e', BACKEND, String(backendPort)], { stdio: 'ignore' });
    const gatewayProcess = spawn(process.execPath, [join(projectRoot, 'gateway/src/main.ts')], {
      env: gatewayEnvironment(gatewayPort, backend),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await writeFile(join(dir, 'nginx.conf'), nginxConfig(dir, nginxPort, backendPort));
    const nginxProcess = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
      stdio: 'inherit',
    });
    processes.push(backendProcess, gatewayProcess, nginxProcess);
    // The process whose CPU time each target costs: the backend alone, or the proxy in front of it.
    const servers = { direct: backendProcess, gateway: gatewayProcess, nginx: nginxProcess };
    const targets = {
      direct: { origin: backend, paths: ['/products/p-1'] },
      gateway: { origin: `http://127.0.0.1:${gatewayPort}`, paths: ['/api/catalog/products/p-1'] },
      nginx: { origin: `http://127.0.0.1:${nginxPort}`, paths: ['/api/catalog/products/p-1'] },
    };
    for (const [name, target] of Object.entries(targets))
      await waitUntilAnswering(name, `${target.origin}${target.paths[0]}`);

    say(`warming up (${CONNECTIONS} connections)…`);
    for (const target of Object.values(targets))
      await runLoad({ ...target, connections: CONNECTIONS, durationSeconds: 3 });

    // Alternating rounds, so drift on a shared machine hits every side alike.
    type Target = keyof typeof targets;
    const names = Object.keys(targets) as Target[];
    const saturated: Record<Target, LoadResult[]> = { direct: [], gateway: [], nginx: [] };
    const cpuPerRequest: Record<Target, number[]> = { direct: [], gateway: [], nginx: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const name of names) {
        say(`round ${round}/${ROUNDS}: ${name} at saturation for ${SECONDS} s…`);
        const ticksBefore = cpuTicks(servers[name]);
        const result = await runLoad({ ...targets[name], connections: CONNECTIONS, durationSeconds: SECONDS });
        const seconds = (cpuTicks(servers[name]) - ticksBefore) / TICKS_PER_SECOND;
        saturated[name].push(result);
        cpuPerRequest[name].push(Math.round((seconds / Math.max(1, result.rps * SECONDS)) * 1_000_000));
      }
    }
    const atSaturation = {
      direct: median(saturated.direct),
      gateway: median(saturated.gateway),
      nginx: median(saturated.nginx),
    };
    const cpuUs = {
      direct: middle(cpuPerRequest.direct),
      gateway: middle(cpuPerRequest.gateway),
      nginx: middle(cpuPerRequest.nginx),
    };
    // Half of what the gateway sustains, the same rate for all three, so their latencies compare.
    const halfRate = Math.max(100, Math.round(atSaturation.gateway.rps / 2));
    const halved: Record<Target, LoadResult[]> = { direct: [], gateway: [], nginx: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const name of names) {
        say(`round ${round}/${ROUNDS}: ${name} at ${halfRate} requests/s for ${SECONDS} s…`);
        halved[name].push(
          await runLoad({
            ...targets[name],
            connections: HALF_LOAD_CONNECTIONS,
            durationSeconds: SECONDS,
            overallRate: halfRate,
          }),
        );
      }
    }
    const atHalf = { direct: median(halved.direct), gateway: median(halved.gateway), nginx: median(halved.nginx) };

    const failures = [...Object.values(saturated), ...Object.values(halved)]
      .flat()
      .reduce((sum, result) => sum + result.errors + result.non2xx, 0);
    say('');
    say(`           saturated rps   CPU µs/request   half load (${halfRate}/s) p50 µs   p99 µs`);
    for (const name of ['direct', 'gateway', 'nginx'] as const) {
      say(
        `${name.padEnd(10)} ${pad(atSaturation[name].rps, 14)}   ${pad(cpuUs[name], 14)}   ${pad(atHalf[name].p50_us ?? 0, 22)} ${pad(atHalf[name].p99_us ?? 0, 8)}`,
      );
    }
    if (failures > 0) say(`warning: ${failures} requests failed or were not 2xx`);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'gateway',
        gateway_rps: atSaturation.gateway.rps,
        nginx_rps: atSaturation.nginx.rps,
        direct_rps: atSaturation.direct.rps,
        ratio_vs_nginx: Math.round((atSaturation.gateway.rps / atSaturation.nginx.rps) * 100) / 100,
        added_p50_ms: milliseconds((atHalf.gateway.p50_us ?? 0) - (atHalf.direct.p50_us ?? 0)),
        added_p99_ms: milliseconds((atHalf.gateway.p99_us ?? 0) - (atHalf.direct.p99_us ?? 0)),
        gateway_cpu_us_per_request: cpuUs.gateway,
        nginx_cpu_us_per_request: cpuUs.nginx,
        backend_cpu_us_per_request: cpuUs.direct,
        nginx_added_p50_ms: milliseconds((atHalf.nginx.p50_us ?? 0) - (atHalf.direct.p50_us ?? 0)),
        nginx_added_p99_ms: milliseconds((atHalf.nginx.p99_us ?? 0) - (atHalf.direct.p99_us ?? 0)),
        half_load_rps: halfRate,
        connections: CONNECTIONS,
        half_load_connections: HALF_LOAD_CONNECTIONS,
        failed_requests: failures,
      })}\n`,
    );
  } finally {
    for (const child of processes) child.kill('SIGTERM');
    await Promise.all(processes.filter((child) => child.exitCode === null).map(onceExited));
    await rm(dir, { recursive: true, force: true });
  }
}

function findNginx(): string | undefined {
  for (const candidate of ['nginx', '/usr/sbin/nginx']) {
    if (spawnSync(candidate, ['-v'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

function gatewayEnvironment(port: number, backend: string): NodeJS.ProcessEnv {
  // Nothing from the shell may point the gateway elsewhere (a registry, Redis, a trace collector).
  const ignored = new Set(['CATALOG_URLS', 'DISCOVERY_URL', 'REDIS_URL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'LOG_LEVEL']);
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !ignored.has(name))),
    PORT: String(port),
    HOST: '127.0.0.1',
    CATALOG_URL: backend,
    GATEWAY_RATE_LIMITS: 'off',
    GATEWAY_CACHE: 'off',
  };
}

/** One worker, as the gateway is one Node process; keep-alive to the upstream, an access log like the gateway's. */
function nginxConfig(dir: string, port: number, backendPort: number): string {
  return `
worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
${process.getuid?.() === 0 ? 'user root;' : ''}
events { worker_connections 4096; }
http {
  access_log ${join(dir, 'access.log')};
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  keepalive_requests 1000000;
  upstream catalog {
    server 127.0.0.1:${backendPort};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location /api/catalog/ {
      proxy_pass http://catalog/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilAnswering(name: string, url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not answer at ${url} within 30 s`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

function onceExited(child: ChildProcess): Promise<void> {
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

/** Per field, the middle of the rounds: one disturbed round moves a median far less than a mean. */
function median(rounds: LoadResult[]): LoadResult {
  const of = (pick: (result: LoadResult) => number): number => middle(rounds.map(pick));
  return {
    rps: of((result) => result.rps),
    p50_ms: of((result) => result.p50_ms),
    p99_ms: of((result) => result.p99_ms),
    p50_us: of((result) => result.p50_us ?? 0),
    p99_us: of((result) => result.p99_us ?? 0),
    errors: rounds.reduce((sum, result) => sum + result.errors, 0),
    non2xx: rounds.reduce((sum, result) => sum + result.non2xx, 0),
  };
}

function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[half] : ((sorted[half - 1] ?? 0) + (sorted[half] ?? 0)) / 2;
  return Math.round(value ?? 0);
}

/** CPU time (user + system, in ticks) of a process and its children so far, from /proc. */
function cpuTicks(root: ChildProcess): number {
  if (root.pid === undefined) return 0;
  let ticks = 0;
  for (const pid of [root.pid, ...descendantsOf(root.pid)]) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Ended meanwhile, or no /proc here: its time is not counted.
    }
  }
  return ticks;
}

function milliseconds(microseconds: number): number {
  return Math.round(microseconds) / 1000;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width);
}
