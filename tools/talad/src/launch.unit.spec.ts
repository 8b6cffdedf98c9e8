import { describe, expect, it } from 'vitest';
import { checkScale, checkTopology, extraInstanceCount, planServices, serviceEnvironment } from './launch.ts';
import { topology as realTopology, type Topology } from './topology.ts';

const shop: Topology = {
  postgresPort: 54_329,
  entryPoint: 'gateway',
  platformDatabases: [{ name: 'messaging', env: 'BROKER_URL' }],
  services: [
    { name: 'catalog', entry: 'services/catalog/src/main.ts', port: 8101, migrations: 'services/catalog/migrations' },
    {
      name: 'gateway',
      entry: 'gateway/src/main.ts',
      port: 8080,
      dependsOn: ['catalog'],
      loadBalances: true,
      env: (urlOf) => ({ CATALOG_URL: urlOf('catalog'), LOG_LEVEL: 'debug' }),
    },
  ],
};

describe('checkTopology', () => {
  it('accepts the real topology', () => {
    expect(checkTopology(realTopology)).toEqual([]);
  });

  it('names every problem at once', () => {
    const problems = checkTopology({
      postgresPort: 54_329,
      entryPoint: 'web',
      platformDatabases: [{ name: 'gateway', env: 'GATEWAY_DATABASE_URL' }],
      services: [
        { name: 'gateway', entry: 'g.ts', port: 8080, dependsOn: ['catalog', 'ghost'] },
        { name: 'catalog', entry: 'c.ts', port: 8080, seed: 'seed.ts' },
        { name: 'Catalog Two', entry: 'c.ts', port: 54_329 },
        { name: 'postgres', entry: 'p.ts', port: 9000 },
        { name: 'pg_stats', entry: 'p.ts', port: 9001 },
      ],
    });
    expect(problems).toEqual([
      'gateway depends on catalog, which must then be listed before it',
      "gateway depends on unknown service 'ghost'",
      'catalog: port 8080 is already taken by gateway',
      'catalog has a seed but no migrations, so no database to seed',
      "service name 'Catalog Two' must be lower case letters, digits, - or _",
      'Catalog Two: port 54329 is already taken by postgres',
      "service name 'postgres' is reserved",
      "service name 'pg_stats' is reserved",
      "platform database 'gateway' has the name of a service",
      "entryPoint 'web' is not one of the services",
    ]);
  });
});

describe('planServices', () => {
  it('resolves paths from the project root and moves only the entry point to --port', () => {
    const [catalog, gateway] = planServices(shop, '/repo', 9090);
    expect(catalog).toMatchObject({
      port: 8101,
      entry: '/repo/services/catalog/src/main.ts',
      migrations: '/repo/services/catalog/migrations',
      seed: undefined,
    });
    expect(gateway).toMatchObject({ port: 9090, entry: '/repo/gateway/src/main.ts', migrations: undefined });
  });
});

describe('serviceEnvironment', () => {
  const services = planServices(shop, '/repo', undefined);
  const [catalog, gateway] = services;
  const parent = {
    PATH: '/bin',
    PORT: '1234',
    HOST: '0.0.0.0',
    DATABASE_URL: 'postgres://elsewhere',
    LOG_LEVEL: 'info',
  };

  it('gives a service its port, host, instance id and database, over anything the shell had', () => {
    const env = serviceEnvironment(catalog!, services, 'postgres://catalog:pw@127.0.0.1:54329/catalog', parent);
    expect(env).toMatchObject({
      PATH: '/bin',
      PORT: '8101',
      HOST: '127.0.0.1',
      SERVICE_INSTANCE_ID: 'catalog-1',
      DATABASE_URL: 'postgres://catalog:pw@127.0.0.1:54329/catalog',
    });
  });

  it("adds the topology's environment with the other services' URLs, and no DATABASE_URL without a database", () => {
    const env = serviceEnvironment(gateway!, services, undefined, parent);
    expect(env['CATALOG_URL']).toBe('http://127.0.0.1:8101');
    expect(env['LOG_LEVEL']).toBe('debug');
    expect(env['PORT']).toBe('8080');
    expect(env).not.toHaveProperty('DATABASE_URL');
  });

  it("gives every service the platform's URLs, unless the shell sets the same variable", () => {
    const platform = { BROKER_URL: 'postgres://messaging:pw@127.0.0.1:54329/messaging' };
    expect(serviceEnvironment(catalog!, services, undefined, parent, platform)['BROKER_URL']).toBe(platform.BROKER_URL);
    const withBroker = { ...parent, BROKER_URL: 'amqp://guest:guest@127.0.0.1:5672' };
    expect(serviceEnvironment(catalog!, services, undefined, withBroker, platform)['BROKER_URL']).toBe(
      'amqp://guest:guest@127.0.0.1:5672',
    );
    const emptyBroker = { ...parent, BROKER_URL: '' };
    expect(serviceEnvironment(catalog!, services, undefined, emptyBroker, platform)['BROKER_URL']).toBe(
      platform.BROKER_URL,
    );
  });
});

describe('scaling', () => {
  it('refuses to scale an unknown service or the entry point', () => {
    expect(checkScale(shop, { catalog: 3 })).toEqual([]);
    expect(checkScale(shop, { ghost: 2, gateway: 2 })).toEqual([
      "--scale: no service named 'ghost'",
      '--scale: gateway is the entry point and runs once',
    ]);
  });

  it('plans each instance: the first on the fixed port, the others on the spare ports, each with its own name', () => {
    const scale = { catalog: 3 };
    expect(extraInstanceCount(scale)).toBe(2);
    const services = planServices(shop, '/repo', undefined, 10, scale, [40001, 40002]);
    expect(services.map(({ name, instance, port }) => ({ name, instance, port }))).toEqual([
      { name: 'catalog#1', instance: 1, port: 8111 },
      { name: 'catalog#2', instance: 2, port: 40001 },
      { name: 'catalog#3', instance: 3, port: 40002 },
      { name: 'gateway', instance: 1, port: 8090 },
    ]);
    expect(() => planServices(shop, '/repo', undefined, 0, scale, [40001])).toThrow(/instance 3 of catalog/);
  });

  it('gives each instance its own id, and a load balancer no fixed URL for a scaled service', () => {
    const services = planServices(shop, '/repo', undefined, 0, { catalog: 2 }, [40001]);
    const [first, second, gateway] = services;
    expect(serviceEnvironment(first!, services, undefined, {})).toMatchObject({
      PORT: '8101',
      SERVICE_INSTANCE_ID: 'catalog-1',
    });
    expect(serviceEnvironment(second!, services, undefined, {})).toMatchObject({
      PORT: '40001',
      SERVICE_INSTANCE_ID: 'catalog-2',
    });
    expect(serviceEnvironment(gateway!, services, undefined, {})).not.toHaveProperty('CATALOG_URL');
    // Unscaled, the load balancer keeps the fixed URL.
    const single = planServices(shop, '/repo', undefined);
    expect(serviceEnvironment(single[1]!, single, undefined, {})['CATALOG_URL']).toBe('http://127.0.0.1:8101');
  });
});
