import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestDnsServer, type TestDnsServer } from '../test-fixtures/dns-server.ts';
import { createDnsDiscovery, resolveARecords } from './dns-discovery.ts';

let dns: TestDnsServer;

beforeAll(async () => {
  dns = await startTestDnsServer();
});

afterAll(async () => {
  await dns.close();
});

describe('DNS registry', () => {
  it('turns each A record of the service name into an instance on the template port', async () => {
    dns.setRecords('catalog.shop.test', ['10.1.0.7', '10.1.0.5']);
    const discovery = createDnsDiscovery({
      template: 'http://{name}.shop.test:8101',
      resolve: resolveARecords([dns.address]),
    });
    expect(await discovery.instances('catalog')).toEqual([
      {
        id: '10.1.0.5:8101',
        name: 'catalog',
        version: 'unknown',
        url: 'http://10.1.0.5:8101',
        metadata: { hostname: 'catalog.shop.test' },
      },
      {
        id: '10.1.0.7:8101',
        name: 'catalog',
        version: 'unknown',
        url: 'http://10.1.0.7:8101',
        metadata: { hostname: 'catalog.shop.test' },
      },
    ]);
    await discovery.close();
  });

  it('answers an unknown name with no instances rather than an error', async () => {
    const discovery = createDnsDiscovery({
      template: 'http://{name}.shop.test',
      resolve: resolveARecords([dns.address]),
    });
    expect(await discovery.instances('nobody')).toEqual([]);
    await discovery.close();
  });

  it('re-resolves periodically, so a watcher sees pods come and go', async () => {
    dns.setRecords('basket.shop.test', ['10.2.0.1']);
    const discovery = createDnsDiscovery({
      template: 'http://{name}.shop.test:8102',
      resolve: resolveARecords([dns.address]),
      refreshIntervalMs: 50,
    });
    const urls: string[][] = [];
    const watch = discovery.watch('basket', (instances) => urls.push(instances.map((instance) => instance.url)));
    expect((await watch.ready).map((instance) => instance.url)).toEqual(['http://10.2.0.1:8102']);
    dns.setRecords('basket.shop.test', ['10.2.0.1', '10.2.0.2']);
    await vi.waitFor(() => expect(watch.current).toHaveLength(2));
    dns.setRecords('basket.shop.test', ['10.2.0.2']);
    await vi.waitFor(() => expect(watch.current.map((instance) => instance.url)).toEqual(['http://10.2.0.2:8102']));
    dns.setRecords('basket.shop.test', []);
    await vi.waitFor(() => expect(watch.current).toEqual([]));
    expect(urls.map((list) => list.length)).toEqual([1, 2, 1, 0]);
    await discovery.close();
  });

  it('uses the system resolver by default, /etc/hosts included', async () => {
    const discovery = createDnsDiscovery({ template: 'http://localhost:8080' });
    const urls = (await discovery.instances('anything')).map((instance) => instance.url);
    expect(urls).toContain('http://127.0.0.1:8080');
    await discovery.close();
  });

  it('accepts a registration and leaves registering to the platform', async () => {
    const discovery = createDnsDiscovery({
      template: 'http://{name}.shop.test',
      resolve: resolveARecords([dns.address]),
    });
    const registration = await discovery.register({ name: 'ghost', version: '1', url: 'http://10.9.9.9' });
    expect(await discovery.instances('ghost')).toEqual([]);
    await registration.deregister();
    await discovery.close();
  });
});
