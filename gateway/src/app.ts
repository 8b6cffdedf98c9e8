import { createServiceApp, type Logger, type ServiceApp } from '@talad/service';
import { registerProxyRoutes } from './proxy.ts';
import { routeTable, type GatewayRoute } from './route-table.ts';
import { createUpstream, type Upstream } from './upstream.ts';

export interface GatewayOptions {
  /** Origin of each upstream service by name, e.g. `{ catalog: 'http://127.0.0.1:8101' }`. */
  upstreams: Record<string, string>;
  routes?: readonly GatewayRoute[];
  logger?: Logger;
}

/** The API gateway: the only public entry to Talad. Builds without listening. */
export async function buildGatewayApp(options: GatewayOptions): Promise<ServiceApp> {
  const app = await createServiceApp({
    name: 'gateway',
    description: 'The public entry to Talad: routes /api/<service>/* to each service.',
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const upstreams = new Map<string, Upstream>(
    Object.entries(options.upstreams).map(([name, origin]) => [name, createUpstream(name, origin)]),
  );
  registerProxyRoutes(app, options.routes ?? routeTable, upstreams);
  app.addHook('onClose', async () => {
    await Promise.all([...upstreams.values()].map((upstream) => upstream.pool.close()));
  });
  return app;
}
