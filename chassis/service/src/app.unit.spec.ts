import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '@talad/core';
import { createServiceApp, type ServiceApp } from './app.ts';
import { createLogger } from './logger.ts';

const silent = createLogger({ service: 'test', level: 'silent' });
let app: ServiceApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function buildApp(readiness: Record<string, () => Promise<void>> = {}): Promise<ServiceApp> {
  app = await createServiceApp({ name: 'test', logger: silent, readiness });
  app.get(
    '/things/:id',
    {
      schema: {
        params: z.object({ id: z.uuid() }),
        querystring: z.strictObject({ size: z.coerce.number().int().max(10).default(5) }),
        response: { 200: z.object({ id: z.string(), size: z.number() }) },
      },
    },
    async (request) => {
      if (request.params.id === '00000000-0000-4000-8000-000000000000') {
        throw new DomainError('not-found', 'TEST_THING_NOT_FOUND', 'no such thing');
      }
      return { id: request.params.id, size: request.query.size };
    },
  );
  app.post('/things', { schema: { body: z.object({ name: z.string().min(1) }) } }, async () => ({ ok: true }));
  app.get('/broken', async () => {
    throw new Error('database password is hunter2');
  });
  return app;
}

describe('service app', () => {
  it('validates query parameters and names the one that is wrong', async () => {
    const response = await (await buildApp()).inject('/things/0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e?size=100000');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const body = response.json();
    expect(body).toMatchObject({ status: 400, code: 'INVALID_REQUEST', errors: [{ in: 'query', name: 'size' }] });
    expect(body.detail).toContain('size');
  });

  it('rejects unknown query parameters by name', async () => {
    const response = await (await buildApp()).inject('/things/0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e?colour=red');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ in: 'query', name: 'colour' });
  });

  it('rejects a malformed path parameter', async () => {
    const response = await (await buildApp()).inject('/things/not-a-uuid');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ in: 'params', name: 'id' });
  });

  it('maps a domain error to its status and stable code', async () => {
    const response = await (await buildApp()).inject('/things/00000000-0000-4000-8000-000000000000');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      code: 'TEST_THING_NOT_FOUND',
      detail: 'no such thing',
      title: 'Not Found',
    });
  });

  it('answers malformed JSON with 400, never 500', async () => {
    const response = await (
      await buildApp()
    ).inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('MALFORMED_BODY');
  });

  it('hides the details of an unexpected error', async () => {
    const response = await (await buildApp()).inject('/broken');
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('hunter2');
    expect(response.json().code).toBe('INTERNAL_ERROR');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await (await buildApp()).inject('/nowhere');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', instance: '/nowhere' });
  });

  it('keeps a safe incoming request id and replaces an unsafe one', async () => {
    const built = await buildApp();
    const kept = await built.inject({ url: '/health/live', headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await built.inject({ url: '/health/live', headers: { 'x-request-id': 'bad id\n' } });
    expect(replaced.headers['x-request-id']).not.toBe('bad id\n');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is ready only while every dependency answers', async () => {
    let databaseUp = true;
    const built = await buildApp({
      database: async () => {
        if (!databaseUp) throw new Error('connection refused');
      },
    });
    expect((await built.inject('/health/ready')).statusCode).toBe(200);
    databaseUp = false;
    const down = await built.inject('/health/ready');
    expect(down.statusCode).toBe(503);
    expect(down.json().checks.database).toMatchObject({ status: 'down', error: 'connection refused' });
    built.health.draining = true;
    databaseUp = true;
    expect((await built.inject('/health/ready')).json().status).toBe('draining');
  });

  it('counts requests per route pattern in Prometheus metrics', async () => {
    const built = await buildApp();
    await built.inject('/things/0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e');
    await built.inject('/things/0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5f');
    const metrics = (await built.inject('/metrics')).body;
    expect(metrics).toMatch(/http_server_requests_total\{[^}]*route="\/things\/:id"[^}]*status="200"[^}]*\} 2/);
    expect(metrics).toContain('http_server_request_duration_seconds_bucket');
    expect(metrics).toContain('nodejs_eventloop_lag_seconds');
  });

  it('publishes an OpenAPI document of its routes', async () => {
    const document = (await (await buildApp()).inject('/openapi.json')).json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/things/{id}');
    expect(document.paths['/health/ready']).toBeUndefined();
  });
});
