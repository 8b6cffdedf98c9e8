import { describe, expect, it } from 'vitest';
import { createDiscovery, discoveryConfigFromEnv } from './create-discovery.ts';

describe('discoveryConfigFromEnv', () => {
  it('reads a static list per service, a single URL as a list of one', () => {
    expect(
      discoveryConfigFromEnv(['catalog', 'order-history', 'basket'], {
        CATALOG_URLS: 'http://a:8101, http://b:8101',
        ORDER_HISTORY_URL: 'http://c:8109',
      }),
    ).toEqual({
      kind: 'static',
      services: { catalog: ['http://a:8101', 'http://b:8101'], 'order-history': ['http://c:8109'] },
    });
  });

  it('chooses the PostgreSQL registry from DISCOVERY_URL, keeping fixed services fixed', () => {
    expect(
      discoveryConfigFromEnv(['catalog', 'basket'], {
        DISCOVERY_URL: 'postgres://registry@127.0.0.1:54329/registry',
        BASKET_URL: 'http://127.0.0.1:8103',
      }),
    ).toEqual({
      kind: 'postgres',
      url: 'postgres://registry@127.0.0.1:54329/registry',
      static: { basket: ['http://127.0.0.1:8103'] },
    });
  });

  it('chooses DNS from a dns:// template', () => {
    expect(discoveryConfigFromEnv(['catalog'], { DISCOVERY_URL: 'dns://{name}.talad.svc.cluster.local:8080' })).toEqual(
      {
        kind: 'dns',
        template: 'http://{name}.talad.svc.cluster.local:8080',
        static: {},
      },
    );
  });

  it('names the variable that holds a bad value', () => {
    expect(() => discoveryConfigFromEnv(['catalog'], { CATALOG_URLS: 'http://a,not a url' })).toThrow(/CATALOG_URLS/);
    expect(() => discoveryConfigFromEnv(['catalog'], { DISCOVERY_URL: 'consul://x' })).toThrow(/DISCOVERY_URL/);
  });
});

describe('static registry', () => {
  it('lists the configured origins and tells a watcher once', async () => {
    const discovery = createDiscovery({ kind: 'static', services: { catalog: ['http://a:1', 'http://b:2'] } });
    const seen: number[] = [];
    const watch = discovery.watch('catalog', (instances) => seen.push(instances.length));
    expect((await watch.ready).map((instance) => instance.url)).toEqual(['http://a:1', 'http://b:2']);
    await Promise.resolve();
    expect(seen).toEqual([2]);
    expect(await discovery.instances('unknown')).toEqual([]);
  });
});
