/**
 * The whole system on one page: every process `npm start` runs, in start order, with its port,
 * its database and what it needs from the others. Read this file first.
 */

export interface ServiceSpec {
  /** Process name; also the log prefix and, for services with a database, the database and role name. */
  readonly name: string;
  /** Entry file, run as its own Node process. */
  readonly entry: string;
  /** Fixed port in the embedded topology (the gateway's can be changed with --port or PORT). */
  readonly port: number;
  /** Plain-SQL migrations, run by `talad` before the service starts. A service without one has no database. */
  readonly migrations?: string;
  /** Publishes or consumes messages: its database also gets the outbox, inbox and dead-letter tables. */
  readonly messaging?: boolean;
  /** Script run once, on the first start with an empty database (DATABASE_URL is set for it). */
  readonly seed?: string;
  /** Services that must be ready before this one starts. */
  readonly dependsOn?: readonly string[];
  /**
   * Variables talad fills with a random secret made on the first start and kept in the data
   * directory's secrets.json (mode 0600), so they survive restarts and never sit in this file.
   */
  readonly secrets?: readonly string[];
  /** Extra environment, given the URLs of the other services. */
  readonly env?: (urlOf: (service: string) => string) => Record<string, string>;
}

/**
 * A database that belongs to the platform rather than to one service. It gets its own role, like a
 * service's, and every service receives its URL in `env` (unless talad's own environment already sets
 * that variable, which is how a real broker or registry replaces the embedded one).
 */
export interface PlatformDatabase {
  readonly name: string;
  readonly env: string;
}

export interface Topology {
  /** Port of the embedded PostgreSQL; never 5432, so it never clashes with a PostgreSQL already installed. */
  readonly postgresPort: number;
  /** The service people open in the browser: its URL is printed, and `--port` or PORT moves it. */
  readonly entryPoint: string;
  readonly platformDatabases: readonly PlatformDatabase[];
  readonly services: readonly ServiceSpec[];
}

export const topology: Topology = {
  postgresPort: 54_329,
  entryPoint: 'gateway',
  platformDatabases: [
    // The PostgreSQL message log: topics, consumer groups and their positions.
    // BROKER_URL=amqp://… (RabbitMQ) or nats://… (NATS JetStream) in the environment replaces it.
    { name: 'messaging', env: 'BROKER_URL' },
  ],
  services: [
    {
      name: 'catalog',
      entry: 'services/catalog/src/main.ts',
      port: 8101,
      migrations: 'services/catalog/migrations',
      messaging: true,
      seed: 'services/catalog/src/seed.ts',
      env: (urlOf) => ({ ...tokenVerification(urlOf) }),
    },
    {
      name: 'identity',
      entry: 'services/identity/src/main.ts',
      port: 8102,
      migrations: 'services/identity/migrations',
      secrets: ['SIGNING_KEY_SECRET', 'ADMIN_CLIENT_SECRET'],
      env: (urlOf) => ({
        ...tokenVerification(urlOf),
        // Sign-in throttling counts failures per client address, which the gateway passes on.
        TRUSTED_PROXIES: 'loopback',
      }),
    },
    {
      name: 'gateway',
      entry: 'gateway/src/main.ts',
      port: 8080,
      dependsOn: ['catalog', 'identity'],
      env: (urlOf) => ({
        CATALOG_URL: urlOf('catalog'),
        IDENTITY_URL: urlOf('identity'),
        ...tokenVerification(urlOf),
      }),
    },
  ],
};

/**
 * How every service checks the bearer tokens identity signs: its public keys, and the issuer and
 * audience tokens must name. ISSUER is the public URL, so it is the same wherever a token travels.
 */
function tokenVerification(urlOf: (service: string) => string): Record<string, string> {
  return {
    JWKS_URL: `${urlOf('identity')}/.well-known/jwks.json`,
    ISSUER: `${urlOf('gateway')}/api/identity`,
    AUDIENCE: 'talad',
  };
}
