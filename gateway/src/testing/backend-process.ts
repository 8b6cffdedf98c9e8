/**
 * One instance of a stand-in service as its own process: a tiny HTTP server that registers itself in the
 * PostgreSQL registry and heartbeats, so a test can SIGKILL it like a crashed pod.
 * Env: REGISTRY_URL, SERVICE (name), INSTANCE (label it answers with), TTL_MS.
 * Prints one JSON line `{ "url": …, "id": … }` once registered.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPostgresDiscovery } from '@talad/discovery';

const instance = process.env['INSTANCE'] ?? 'instance';
const server = createServer((request, response) => {
  response.setHeader('content-type', 'application/json');
  response.setHeader('x-backend', instance);
  response.end(JSON.stringify({ instance, url: request.url }));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const discovery = createPostgresDiscovery({
  url: process.env['REGISTRY_URL'] ?? '',
  ttlMs: Number(process.env['TTL_MS'] ?? 2_000),
});
const registration = await discovery.register({ name: process.env['SERVICE'] ?? 'catalog', version: 'test', url });
process.stdout.write(`${JSON.stringify({ url, id: registration.instance.id })}\n`);
process.on('SIGTERM', () => {
  void discovery.close().then(() => process.exit(0));
});
