import type { ServiceApp } from '@talad/service';
import { createRouteHandler, type ProxyContext } from './route-handler.ts';
import type { GatewayRoute, HttpMethod } from './route-table.ts';

const ALL_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Forwards every method under each route's prefix to its upstream over pooled keep-alive connections,
 * streaming bodies both ways, passing the request id and the trace context on.
 */
export function registerProxyRoutes(app: ServiceApp, routes: readonly GatewayRoute[], context: ProxyContext): void {
  app.register(async (scope) => {
    // Bodies pass through untouched as streams; the upstream validates them, the gateway only counts bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    for (const route of routes) {
      const handler = createRouteHandler(route, context);
      const method = [...methodsOf(route, routes)];
      scope.route({ method, url: route.prefix, schema: { hide: true }, handler });
      scope.route({ method, url: `${route.prefix}/*`, schema: { hide: true }, handler });
    }
  });
}

/** An entry's own methods, or every method no other entry with the same prefix claims. */
function methodsOf(route: GatewayRoute, routes: readonly GatewayRoute[]): readonly HttpMethod[] {
  if (route.methods) return route.methods;
  const claimed = new Set(
    routes.filter((other) => other !== route && other.prefix === route.prefix).flatMap((other) => other.methods ?? []),
  );
  return ALL_METHODS.filter((method) => !claimed.has(method));
}
