import { Writable } from 'node:stream';
import { createLogger, type ServiceApp } from '@talad/service';
import { buildGatewayApp, type GatewayOptions } from '../app.ts';

export interface TestGateway {
  readonly url: string;
  readonly app: ServiceApp;
  /** The JSON log lines written so far. */
  readonly logs: Array<Record<string, unknown>>;
  /** The Prometheus text of `/metrics`. */
  metrics(): Promise<string>;
  /** One sample of a metric, e.g. `metric('gateway_circuit_state', { upstream: 'catalog' })`; undefined when absent. */
  metric(name: string, labels: Record<string, string>): Promise<number | undefined>;
  close(): Promise<void>;
}

/** A gateway listening on 127.0.0.1, logging into memory so tests can read its access log. */
export async function startTestGateway(options: GatewayOptions): Promise<TestGateway> {
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = await buildGatewayApp({
    logger: createLogger({ service: 'gateway', level: 'info', destination }),
    ...options,
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const metrics = async (): Promise<string> => (await fetch(`${url}/metrics`)).text();
  return {
    url,
    app,
    logs,
    metrics,
    async metric(name, labels) {
      for (const line of (await metrics()).split('\n')) {
        if (!line.startsWith(`${name}{`)) continue;
        const matches = Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`));
        if (matches) return Number(line.slice(line.lastIndexOf(' ') + 1));
      }
      return undefined;
    },
    close: () => app.close(),
  };
}
