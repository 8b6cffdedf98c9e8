import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A service as a real process: configuration errors, logs, traces exported over OTLP, and draining. */
const fixture = fileURLToPath(new URL('../test-fixtures/echo-service.ts', import.meta.url));
let collector: Server;
let collectorUrl: string;
const exported: string[] = [];

beforeAll(async () => {
  // Stands in for an OpenTelemetry collector: records what the service exports to /v1/traces.
  collector = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') exported.push(Buffer.concat(chunks).toString('latin1'));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => collector.close(resolve)));

function startFixture(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [fixture], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function waitForListening(output: () => string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const address = /"address":"(http:\/\/[^"]+)"/.exec(output())?.[1];
    if (address) return address;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the service did not start:\n${output()}`);
}

describe('runService', () => {
  it('exits with 78 and names every bad variable when the configuration is wrong', async () => {
    const service = startFixture({ PORT: 'eighty' });
    expect(await service.exit).toBe(78);
    expect(service.output()).toMatch(/PORT: .*"eighty"/);
    expect(service.output()).toMatch(/ECHO_GREETING: .*not set/);
  });

  it('logs JSON with service, request and trace ids, exports spans over OTLP, and drains on SIGTERM', async () => {
    const service = startFixture({ PORT: '0', ECHO_GREETING: 'sawasdee', OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl });
    const address = await waitForListening(service.output);
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const inFlight = fetch(`${address}/greet`, { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    service.child.kill('SIGTERM');
    // The request that was in flight when SIGTERM arrived still gets its answer.
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ greeting: 'sawasdee' });
    expect(await service.exit).toBe(0);

    const lines = service
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const greeting = lines.find((line) => line['msg'] === 'greeting');
    expect(greeting).toMatchObject({ service: 'echo', level: 'info', traceId });
    expect(greeting?.['reqId']).toEqual(expect.any(String));
    expect(greeting?.['spanId']).toMatch(/^[0-9a-f]{16}$/);
    expect(service.output().match(/"traceId"/g)?.length).toBe(lines.filter((line) => 'traceId' in line).length);
    expect(lines.map((line) => line['msg'])).toEqual(
      expect.arrayContaining(['shutting down', 'cleanup ran', 'stopped']),
    );
    // The batch of spans is flushed on shutdown: the server span of GET /greet, in the caller's trace.
    const batch = exported.join('');
    expect(batch).toContain('GET /greet');
    expect(batch).toContain('echo');
  });
});
