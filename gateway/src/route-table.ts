/**
 * Every public route of Talad on one page: the path prefix the gateway answers, the service behind it,
 * who may call it, how often, whether answers are cached, and how long a caller waits at most. The
 * prefix is removed before the request goes upstream (and `upstreamPrefix` put in its place):
 * `GET /api/catalog/products?q=nmd` reaches catalog as `GET /products?q=nmd`. The longest matching
 * prefix wins. Below the routes, how each upstream's instances share the load.
 */

/**
 * Who may call a route, with the rules the services apply (`@talad/auth`): anyone; any signed-in person
 * (`customer`, admins included); a person with the admin role; a machine client holding a scope. A list
 * admits anyone one of its rules admits: `['admin', { scope: 'catalog:write' }]`.
 */
export type AccessRule = 'public' | 'customer' | 'admin' | { readonly scope: string };
export type Access = AccessRule | readonly AccessRule[];

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/**
 * A token bucket per caller (per client address when anonymous): `burst` requests at once, refilled at
 * `perSecond`. Routes naming the same policy share one bucket per caller.
 */
export interface RateLimitPolicy {
  readonly name: string;
  readonly burst: number;
  readonly perSecond: number;
}

/** GET answers kept for `ttlSeconds`, keyed by path and query (and caller, on routes that need one). */
export interface CachePolicy {
  readonly ttlSeconds: number;
}

export interface GatewayRoute {
  /** Public path prefix, without a trailing slash. */
  readonly prefix: string;
  /**
   * The methods this entry covers; all by default. Two entries may share a prefix with different methods,
   * e.g. reads open to all and writes for administrators.
   */
  readonly methods?: readonly HttpMethod[];
  /** The upstream service's name; its instances come from configuration or discovery. */
  readonly upstream: string;
  /** Put where `prefix` was, on the way upstream; none by default. */
  readonly upstreamPrefix?: string;
  readonly access: Access;
  /** Deadline for the upstream to answer (all attempts together); past it the caller gets 504. */
  readonly deadlineMs: number;
  readonly rateLimit?: RateLimitPolicy;
  readonly cache?: CachePolicy;
  /** Largest request body; over it the caller gets 413. Defaults to the gateway's (1 MiB). */
  readonly bodyLimitBytes?: number;
}

/** How an upstream's instances share its load; every other resilience setting has a sensible default. */
export interface UpstreamPolicy {
  readonly balancing: 'round-robin' | 'least-outstanding';
}

/** One service's share of a composed answer: its key in the answer, and the path asked (`:id` filled in). */
export interface CompositionPart {
  readonly name: string;
  readonly upstream: string;
  readonly path: string;
  /** Decides whether the whole exists: its 404 or 403 is the answer, rather than a part marked missing. */
  readonly primary?: boolean;
}

/** A GET the gateway answers itself by calling several services in parallel under one deadline. */
export interface Composition {
  /** Public path, with `:id`. */
  readonly path: string;
  readonly access: Access;
  /** For all parts together; a part not answered by then is marked unavailable. */
  readonly deadlineMs: number;
  readonly rateLimit?: RateLimitPolicy;
  readonly parts: readonly CompositionPart[];
}

const browsing: RateLimitPolicy = { name: 'browsing', burst: 400, perSecond: 200 };
const accounts: RateLimitPolicy = { name: 'accounts', burst: 30, perSecond: 10 };
const backOffice: RateLimitPolicy = { name: 'back-office', burst: 50, perSecond: 20 };
const catalogWriters: Access = ['admin', { scope: 'catalog:write' }];
const shippingWriters: Access = ['admin', { scope: 'shipping:write' }];
const inventoryWriters: Access = ['admin', { scope: 'inventory:write' }];

export const routeTable: readonly GatewayRoute[] = [
  // Search and product pages: anyone, cached; catalog's product events invalidate what changed.
  {
    prefix: '/api/catalog',
    methods: ['GET', 'HEAD'],
    upstream: 'catalog',
    access: 'public',
    deadlineMs: 5_000,
    rateLimit: browsing,
    cache: { ttlSeconds: 30 },
  },
  // Product changes: administrators and the admin tool's client (catalog checks again itself).
  { prefix: '/api/catalog', upstream: 'catalog', access: catalogWriters, deadlineMs: 5_000, rateLimit: backOffice },
  // Sign-up, sign-in, tokens, JWKS: open to all; identity decides who gets what, and throttles failures.
  { prefix: '/api/identity', upstream: 'identity', access: 'public', deadlineMs: 5_000, rateLimit: accounts },
  // The signed-in customer's own basket: never cached (it is personal and changes with every click).
  // `/api/basket/items/x` reaches basket as `/basket/items/x`.
  {
    prefix: '/api/basket',
    upstream: 'basket',
    upstreamPrefix: '/basket',
    access: 'customer',
    deadlineMs: 5_000,
    rateLimit: browsing,
  },
  // Rates and quotes: anyone, cached briefly (a rate change shows within the TTL).
  {
    prefix: '/api/shipping',
    methods: ['GET', 'HEAD'],
    upstream: 'shipping',
    access: 'public',
    deadlineMs: 5_000,
    rateLimit: browsing,
    cache: { ttlSeconds: 10 },
  },
  // Rate changes: administrators and clients with the scope (shipping checks again itself).
  { prefix: '/api/shipping', upstream: 'shipping', access: shippingWriters, deadlineMs: 5_000, rateLimit: backOffice },
  // Parcel tracking: anyone with the number, never cached (a cached answer would hide the latest step).
  {
    prefix: '/api/shipping/shipments/track',
    methods: ['GET', 'HEAD'],
    upstream: 'shipping',
    upstreamPrefix: '/shipments/track',
    access: 'public',
    deadlineMs: 5_000,
    rateLimit: browsing,
  },
  // An order's shipment: signed-in people, never cached; shipping shows it only to the order's customer.
  {
    prefix: '/api/shipping/shipments/by-order',
    methods: ['GET', 'HEAD'],
    upstream: 'shipping',
    upstreamPrefix: '/shipments/by-order',
    access: 'customer',
    deadlineMs: 5_000,
    rateLimit: browsing,
  },
  // Stock badges: anyone, cached only briefly (stock moves with every order).
  {
    prefix: '/api/inventory',
    methods: ['GET', 'HEAD'],
    upstream: 'inventory',
    access: 'public',
    deadlineMs: 5_000,
    rateLimit: browsing,
    cache: { ttlSeconds: 5 },
  },
  // Stock counts: administrators and clients with the scope (inventory checks again itself).
  {
    prefix: '/api/inventory',
    upstream: 'inventory',
    access: inventoryWriters,
    deadlineMs: 5_000,
    rateLimit: backOffice,
  },
  // Placing, reading and cancelling orders: signed-in people; ordering checks ownership and the
  // Idempotency-Key itself. `/api/orders/x` reaches ordering as `/orders/x`.
  {
    prefix: '/api/orders',
    upstream: 'ordering',
    upstreamPrefix: '/orders',
    access: 'customer',
    deadlineMs: 10_000,
    rateLimit: browsing,
  },
  // "My orders" and each order's summary, from the read model; order-history checks ownership.
  // `/api/order-history/x` reaches order-history as `/order-history/x`.
  {
    prefix: '/api/order-history',
    methods: ['GET', 'HEAD'],
    upstream: 'order-history',
    upstreamPrefix: '/order-history',
    access: 'customer',
    deadlineMs: 5_000,
    rateLimit: browsing,
  },
];

export const upstreamTable: Readonly<Record<string, UpstreamPolicy>> = {
  catalog: { balancing: 'least-outstanding' },
  identity: { balancing: 'round-robin' },
  basket: { balancing: 'round-robin' },
  inventory: { balancing: 'round-robin' },
  shipping: { balancing: 'round-robin' },
  ordering: { balancing: 'round-robin' },
  payment: { balancing: 'round-robin' },
  'order-history': { balancing: 'round-robin' },
};

/**
 * Answers composed from several services. An order's details: the order from ordering, its payment and
 * its shipment, each service checking on its own that the caller owns the order.
 */
export const compositionTable: readonly Composition[] = [
  {
    path: '/api/orders/:id/details',
    access: 'customer',
    deadlineMs: 3_000,
    rateLimit: browsing,
    parts: [
      { name: 'order', upstream: 'ordering', path: '/orders/:id', primary: true },
      { name: 'payment', upstream: 'payment', path: '/payments/by-order/:id' },
      { name: 'shipment', upstream: 'shipping', path: '/shipments/by-order/:id' },
    ],
  },
];
