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
  /**
   * Variables filled with a secret that another service lists in its `secrets`, so both hold the same
   * value: `{ IDENTITY_CLIENT_SECRET: { service: 'identity', secret: 'NOTIFICATION_CLIENT_SECRET' } }`.
   */
  readonly sharedSecrets?: Readonly<Record<string, { readonly service: string; readonly secret: string }>>;
  /** Extra environment, given the URLs of the other services. */
  readonly env?: (urlOf: (service: string) => string) => Record<string, string>;
  /**
   * Spreads its calls over every instance the registry (DISCOVERY_URL) lists. For a service run with
   * `--scale`, talad leaves that service's `<NAME>_URL` out of this process's environment, so it finds
   * all the instances there instead of only the first one's fixed URL.
   */
  readonly loadBalances?: boolean;
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
    // The service registry: every instance registers itself and heartbeats; the gateway watches it.
    { name: 'discovery', env: 'DISCOVERY_URL' },
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
      // Answers the checkout saga's VerifyCustomer commands.
      messaging: true,
      secrets: ['SIGNING_KEY_SECRET', 'ADMIN_CLIENT_SECRET', 'NOTIFICATION_CLIENT_SECRET'],
      env: (urlOf) => ({
        ...tokenVerification(urlOf),
        // Sign-in throttling counts failures per client address, which the gateway passes on.
        TRUSTED_PROXIES: 'loopback',
      }),
    },
    {
      name: 'basket',
      entry: 'services/basket/src/main.ts',
      port: 8103,
      migrations: 'services/basket/migrations',
      messaging: true,
      // Copies a product's name and price from catalog when a line is put; follows catalog's events after.
      dependsOn: ['catalog'],
      env: (urlOf) => ({ CATALOG_URL: urlOf('catalog'), ...tokenVerification(urlOf) }),
    },
    {
      name: 'inventory',
      entry: 'services/inventory/src/main.ts',
      port: 8105,
      migrations: 'services/inventory/migrations',
      // Answers the checkout saga's ReserveStock, ReleaseStock and CommitReservation; publishes stock levels.
      messaging: true,
      // Seeds stock for every product from catalog's snapshot on the first start; follows its events after.
      dependsOn: ['catalog'],
      env: (urlOf) => ({ CATALOG_URL: urlOf('catalog'), ...tokenVerification(urlOf) }),
    },
    {
      // The outside world: a simulated courier (in-memory, no database). Shipping books pickups with it;
      // it reports each parcel's progress back to shipping in signed updates, COURIER_STEP_SECONDS apart.
      name: 'courier',
      entry: 'sims/courier/src/main.ts',
      port: 8203,
    },
    {
      name: 'shipping',
      entry: 'services/shipping/src/main.ts',
      port: 8107,
      migrations: 'services/shipping/migrations',
      messaging: true,
      dependsOn: ['courier'],
      // The courier signs its updates with this; shipping gives it to the courier with every booking.
      secrets: ['COURIER_WEBHOOK_SECRET'],
      env: (urlOf) => ({
        COURIER_URL: urlOf('courier'),
        COURIER_CALLBACK_URL: `${urlOf('shipping')}/courier/updates`,
        ...tokenVerification(urlOf),
      }),
    },
    {
      // The outside world: a simulated card processor (in-memory, no database). The browser sends the
      // card to it directly and gives Talad only the token. LATENCY_MS, FAILURE_RATE and
      // SLOW_CARD_DELAY_MS in the environment, or PUT /admin/faults, inject faults.
      name: 'card-provider',
      entry: 'sims/card-provider/src/main.ts',
      port: 8201,
    },
    {
      name: 'payment',
      entry: 'services/payment/src/main.ts',
      port: 8106,
      migrations: 'services/payment/migrations',
      // Answers the checkout saga's AuthorizePayment, CapturePayment, VoidPayment and RefundPayment.
      messaging: true,
      dependsOn: ['card-provider'],
      // The counter service signs its payment webhooks with this. PAY_SLIP_TTL_SECONDS (default two
      // days) in the environment makes slips expire sooner, for demos.
      secrets: ['COUNTER_WEBHOOK_SECRET'],
      env: (urlOf) => ({ PROVIDER_URL: urlOf('card-provider'), ...tokenVerification(urlOf) }),
    },
    {
      // The outside world: a counter service where customers pay slips by their payment code
      // (POST /v1/payments); it confirms each payment to payment through a signed webhook. In memory.
      name: 'counter-service',
      entry: 'sims/counter-service/src/main.ts',
      port: 8202,
      dependsOn: ['payment'],
      sharedSecrets: { COUNTER_WEBHOOK_SECRET: { service: 'payment', secret: 'COUNTER_WEBHOOK_SECRET' } },
      env: (urlOf) => ({ WEBHOOK_URL: `${urlOf('payment')}/webhooks/counter-service` }),
    },
    {
      name: 'ordering',
      entry: 'services/ordering/src/main.ts',
      port: 8104,
      // The event store's and the saga's tables are applied by ordering itself at start.
      migrations: 'services/ordering/migrations',
      messaging: true,
      // Fills its price and shipping-rate replicas from them on the first start; follows their events after.
      dependsOn: ['catalog', 'shipping'],
      env: (urlOf) => ({
        CATALOG_URL: urlOf('catalog'),
        SHIPPING_URL: urlOf('shipping'),
        PAYMENT_URL: urlOf('payment'),
        ...tokenVerification(urlOf),
      }),
    },
    {
      // The read model of "my orders" (CQRS query side): built only from ordering's, payment's and
      // shipping's events; `talad rebuild order-history` rebuilds it from its own event log.
      name: 'order-history',
      entry: 'services/order-history/src/main.ts',
      port: 8109,
      migrations: 'services/order-history/migrations',
      messaging: true,
      env: (urlOf) => ({ ...tokenVerification(urlOf) }),
    },
    {
      // Mails customers about their orders; into its local mailbox (GET /admin/mailbox) unless SMTP_URL is
      // set in talad's environment. Asks identity for each customer's address as its own machine client.
      name: 'notification',
      entry: 'services/notification/src/main.ts',
      port: 8108,
      migrations: 'services/notification/migrations',
      messaging: true,
      dependsOn: ['identity'],
      sharedSecrets: { IDENTITY_CLIENT_SECRET: { service: 'identity', secret: 'NOTIFICATION_CLIENT_SECRET' } },
      env: (urlOf) => ({
        IDENTITY_URL: urlOf('identity'),
        ...(process.env['SMTP_URL'] ? { SMTP_URL: process.env['SMTP_URL'] } : {}),
        ...tokenVerification(urlOf),
      }),
    },
    {
      name: 'gateway',
      entry: 'gateway/src/main.ts',
      port: 8080,
      loadBalances: true,
      dependsOn: ['catalog', 'identity'],
      // BROKER_URL (the message log, as for every service): catalog's product events invalidate its cache.
      env: (urlOf) => ({
        CATALOG_URL: urlOf('catalog'),
        IDENTITY_URL: urlOf('identity'),
        BASKET_URL: urlOf('basket'),
        INVENTORY_URL: urlOf('inventory'),
        SHIPPING_URL: urlOf('shipping'),
        ORDERING_URL: urlOf('ordering'),
        PAYMENT_URL: urlOf('payment'),
        ORDER_HISTORY_URL: urlOf('order-history'),
        // The storefront's card form sends cards straight to the provider: put in the page, allowed by the CSP.
        CARD_PROVIDER_URL: urlOf('card-provider'),
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
