/**
 * CONSISTENCY.md's invariants as plain functions over what the services report (no I/O here): each
 * takes the facts gathered from a quiet system and says whether it holds, with counts and the
 * violations it found. `talad check` gathers the facts and prints the outcomes.
 */

export interface StockLine {
  readonly productId: string;
  readonly quantity: number;
}

/** One order as ordering's `GET /admin/consistency` reports it. */
export interface OrderFact {
  readonly orderId: string;
  readonly status: string;
  readonly customerId: string;
  readonly paymentMethod: string;
  readonly lines: readonly StockLine[];
  readonly streamVersion: number;
  readonly streamContiguous: boolean;
  readonly sagaState: string | null;
}

export interface OrderingFacts {
  readonly orders: readonly OrderFact[];
  readonly unreadableStreams: readonly string[];
}

export interface InventoryFacts {
  readonly products: ReadonlyArray<{
    readonly productId: string;
    readonly onHand: number;
    readonly reserved: number;
    readonly committed: number;
  }>;
  readonly reservations: ReadonlyArray<{
    readonly orderId: string;
    readonly state: string;
    readonly lines: readonly StockLine[];
  }>;
}

export interface PaymentFacts {
  readonly payments: ReadonlyArray<{
    readonly paymentId: string;
    readonly orderId: string;
    readonly state: string;
    readonly providerAuthorizationId: string | null;
  }>;
}

/** The card provider's books: every authorization, its status and reference (the order id). */
export interface ProviderAuthorization {
  readonly id: string;
  readonly status: string;
  readonly reference: string;
}

/** One messaging service's outbox and dead letters; undefined where it could not be read. */
export interface MessagingFact {
  readonly service: string;
  readonly outboxDepth: number | undefined;
  readonly waitingDeadLetters: number | undefined;
  readonly problem?: string;
}

/** What order-history shows for an order; undefined when it has no summary of it. */
export interface OrderHistoryFact {
  readonly orderId: string;
  readonly summary:
    | { readonly status: string; readonly totalAmount: number | undefined; readonly lines: readonly StockLine[] }
    | undefined;
  readonly problem?: string;
}

export interface Facts {
  readonly ordering: OrderingFacts;
  readonly inventory: InventoryFacts;
  readonly payment: PaymentFacts;
  readonly provider: readonly ProviderAuthorization[];
  readonly messaging: readonly MessagingFact[];
  /** Present only when the order-history service runs and offers a view the checker may read. */
  readonly orderHistory?: readonly OrderHistoryFact[];
  /** Why order-history could not be compared although it runs. */
  readonly orderHistoryUnavailable?: string;
}

export interface Outcome {
  readonly holds: boolean;
  /** What was looked at, for the report: `{ orders: 12, approved: 8 }`. */
  readonly counts: Readonly<Record<string, number>>;
  /** One line per violation found. */
  readonly violations: readonly string[];
}

export interface Invariant {
  readonly number: number;
  readonly title: string;
  /** A service the invariant is about: when the topology has no such service, the check is skipped. */
  readonly requiresService?: string;
  /** Why the facts it needs could not be had; the check is then skipped with this note. */
  unavailable?(facts: Facts): string | undefined;
  check(facts: Facts): Outcome;
}

const TERMINAL = new Set(['approved', 'rejected', 'cancelled']);
const UNDONE = new Set(['rejected', 'cancelled']);
const SAGA_ENDED = new Set(['completed', 'compensated']);
/** Payment states in which the customer's money was taken. */
const MONEY_TAKEN = new Set(['captured', 'completed']);
/** Payment states that give nothing to the shop: they belong only to orders that did not go through. */
const MONEY_NOT_TAKEN = new Set(['voided', 'refunded', 'declined', 'closed', 'expired']);
/** Provider statuses of an authorization that was captured at some point. */
const CHARGED_AT_PROVIDER = new Set(['captured', 'refunded']);

function outcome(counts: Record<string, number>, violations: string[]): Outcome {
  return { holds: violations.length === 0, counts, violations };
}

function ordersById(facts: Facts): Map<string, OrderFact> {
  return new Map(facts.ordering.orders.map((order) => [order.orderId, order]));
}

function paymentsByOrder(facts: Facts): Map<string, PaymentFacts['payments'][number]> {
  return new Map(facts.payment.payments.map((payment) => [payment.orderId, payment]));
}

function addUnits(totals: Map<string, number>, lines: readonly StockLine[]): void {
  for (const line of lines) totals.set(line.productId, (totals.get(line.productId) ?? 0) + line.quantity);
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** 1. Every order ended, or waits only for a counter payment whose slip has not expired. */
export const ordersEnded: Invariant = {
  number: 1,
  title: 'every order has ended (or waits for an unexpired counter payment)',
  check(facts) {
    const payments = paymentsByOrder(facts);
    const violations: string[] = [];
    let waiting = 0;
    for (const order of facts.ordering.orders) {
      if (order.status === 'pending') {
        const payment = payments.get(order.orderId);
        if (order.paymentMethod === 'counter' && payment?.state === 'pending') waiting++;
        else violations.push(`order ${order.orderId} is still pending (saga ${order.sagaState ?? 'missing'})`);
      } else if (!TERMINAL.has(order.status)) {
        violations.push(`order ${order.orderId} has an unknown status '${order.status}'`);
      } else if (order.sagaState === null || !SAGA_ENDED.has(order.sagaState)) {
        violations.push(`order ${order.orderId} is ${order.status} but its saga is ${order.sagaState ?? 'missing'}`);
      }
    }
    const byStatus = countBy(facts.ordering.orders, (order) => order.status);
    return outcome(
      {
        orders: facts.ordering.orders.length,
        approved: byStatus['approved'] ?? 0,
        rejected: byStatus['rejected'] ?? 0,
        cancelled: byStatus['cancelled'] ?? 0,
        waiting,
      },
      violations,
    );
  },
};

/** 2. No stock oversold; reserved and committed units are exactly the lines of the orders holding them. */
export const noOversell: Invariant = {
  number: 2,
  title: 'no stock oversold; reserved and committed units match the orders holding them',
  check(facts) {
    const orders = ordersById(facts);
    const violations: string[] = [];
    const held = new Map<string, number>();
    const approvedUnits = new Map<string, number>();
    for (const order of facts.ordering.orders) if (order.status === 'approved') addUnits(approvedUnits, order.lines);

    for (const reservation of facts.inventory.reservations) {
      const order = orders.get(reservation.orderId);
      if (reservation.state === 'held') {
        addUnits(held, reservation.lines);
        if (!order) violations.push(`reservation of unknown order ${reservation.orderId} still holds stock`);
        else if (order.status !== 'pending') {
          violations.push(`reservation of ${order.status} order ${order.orderId} still holds stock`);
        }
      } else if (reservation.state === 'committed' && order?.status !== 'approved') {
        violations.push(`reservation of ${order?.status ?? 'unknown'} order ${reservation.orderId} is committed`);
      }
    }

    const products = new Map(facts.inventory.products.map((product) => [product.productId, product]));
    const productIds = new Set([...products.keys(), ...held.keys(), ...approvedUnits.keys()]);
    let unitsReserved = 0;
    let unitsCommitted = 0;
    for (const productId of productIds) {
      const product = products.get(productId) ?? { onHand: 0, reserved: 0, committed: 0 };
      unitsReserved += product.reserved;
      unitsCommitted += product.committed;
      if (product.onHand < 0) violations.push(`product ${productId} has ${product.onHand} on hand`);
      const heldUnits = held.get(productId) ?? 0;
      if (product.reserved !== heldUnits) {
        violations.push(`product ${productId}: ${product.reserved} reserved, but held reservations hold ${heldUnits}`);
      }
      const soldUnits = approvedUnits.get(productId) ?? 0;
      if (product.committed !== soldUnits) {
        violations.push(`product ${productId}: ${product.committed} committed, but approved orders hold ${soldUnits}`);
      }
    }
    const byState = countBy(facts.inventory.reservations, (reservation) => reservation.state);
    return outcome(
      {
        products: productIds.size,
        reservations: facts.inventory.reservations.length,
        held: byState['held'] ?? 0,
        committed: byState['committed'] ?? 0,
        'units reserved': unitsReserved,
        'units committed': unitsCommitted,
      },
      violations,
    );
  },
};

/** 3. Captured iff approved; voided, refunded and declined payments only for orders that did not go through; one charge per order. */
export const paymentsMatchOrders: Invariant = {
  number: 3,
  title: 'payment captured iff order approved; nobody charged twice',
  check(facts) {
    const orders = ordersById(facts);
    const payments = paymentsByOrder(facts);
    const provider = new Map(facts.provider.map((authorization) => [authorization.id, authorization]));
    const violations: string[] = [];

    for (const payment of facts.payment.payments) {
      const order = orders.get(payment.orderId);
      const status = order?.status ?? 'unknown';
      if (MONEY_TAKEN.has(payment.state) && status !== 'approved') {
        violations.push(`payment of ${status} order ${payment.orderId} is ${payment.state}`);
      } else if (MONEY_NOT_TAKEN.has(payment.state) && !UNDONE.has(status)) {
        violations.push(`payment of ${status} order ${payment.orderId} is ${payment.state}`);
      } else if (!MONEY_TAKEN.has(payment.state) && !MONEY_NOT_TAKEN.has(payment.state) && status !== 'pending') {
        violations.push(`payment of ${status} order ${payment.orderId} is left ${payment.state}`);
      }
      const atProvider = payment.providerAuthorizationId ? provider.get(payment.providerAuthorizationId) : undefined;
      if (atProvider && MONEY_TAKEN.has(payment.state) !== (atProvider.status === 'captured')) {
        violations.push(
          `payment of order ${payment.orderId} is ${payment.state}, the provider says ${atProvider.status}`,
        );
      }
    }

    const chargesByOrder = new Map<string, number>();
    for (const authorization of facts.provider) {
      if (!orders.has(authorization.reference)) continue;
      if (CHARGED_AT_PROVIDER.has(authorization.status)) {
        chargesByOrder.set(authorization.reference, (chargesByOrder.get(authorization.reference) ?? 0) + 1);
      }
      const order = orders.get(authorization.reference);
      if (authorization.status === 'captured' && order?.status !== 'approved') {
        violations.push(
          `the provider holds a capture for ${order?.status ?? 'unknown'} order ${authorization.reference}`,
        );
      }
    }
    for (const [orderId, charges] of chargesByOrder) {
      if (charges > 1) violations.push(`order ${orderId} was charged ${charges} times at the provider`);
    }
    for (const order of facts.ordering.orders) {
      if (order.status !== 'approved') continue;
      const payment = payments.get(order.orderId);
      if (!payment || !MONEY_TAKEN.has(payment.state)) {
        violations.push(`approved order ${order.orderId} has payment ${payment?.state ?? 'missing'}`);
      }
    }
    const byState = countBy(facts.payment.payments, (payment) => payment.state);
    return outcome(
      {
        payments: facts.payment.payments.length,
        captured: (byState['captured'] ?? 0) + (byState['completed'] ?? 0),
        voided: byState['voided'] ?? 0,
        declined: byState['declined'] ?? 0,
        refunded: byState['refunded'] ?? 0,
        'provider charges': [...chargesByOrder.values()].reduce((sum, charges) => sum + charges, 0),
      },
      violations,
    );
  },
};

/** 4. The order-history read model agrees with ordering for every order. */
export const orderHistoryAgrees: Invariant = {
  number: 4,
  title: 'the order-history read model agrees with ordering',
  requiresService: 'order-history',
  unavailable: (facts) =>
    facts.orderHistory ? undefined : (facts.orderHistoryUnavailable ?? 'no order-history facts'),
  check(facts) {
    const history = new Map((facts.orderHistory ?? []).map((fact) => [fact.orderId, fact]));
    const violations: string[] = [];
    for (const order of facts.ordering.orders) {
      const fact = history.get(order.orderId);
      if (!fact?.summary) {
        violations.push(
          `order ${order.orderId} is missing from order-history${fact?.problem ? ` (${fact.problem})` : ''}`,
        );
        continue;
      }
      if (fact.summary.status !== order.status) {
        violations.push(`order ${order.orderId} is ${order.status}, order-history says ${fact.summary.status}`);
      }
      if (unitsKey(fact.summary.lines) !== unitsKey(order.lines)) {
        violations.push(`order ${order.orderId}: order-history shows other lines`);
      }
    }
    return outcome({ orders: facts.ordering.orders.length, summaries: history.size }, violations);
  },
};

function unitsKey(lines: readonly StockLine[]): string {
  const units = new Map<string, number>();
  addUnits(units, lines);
  return [...units.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([productId, quantity]) => `${productId}:${quantity}`)
    .join(',');
}

/** 5. Every outbox drained, every dead-letter store empty. */
export const messagingDrained: Invariant = {
  number: 5,
  title: 'outboxes drained and dead-letter stores empty',
  check(facts) {
    const violations: string[] = [];
    for (const fact of facts.messaging) {
      if (fact.problem) violations.push(`${fact.service}: ${fact.problem}`);
      if (fact.outboxDepth === undefined) violations.push(`${fact.service}: outbox depth unknown`);
      else if (fact.outboxDepth !== 0) violations.push(`${fact.service}: ${fact.outboxDepth} message(s) in the outbox`);
      if (fact.waitingDeadLetters === undefined) violations.push(`${fact.service}: dead letters unknown`);
      else if (fact.waitingDeadLetters !== 0) {
        violations.push(`${fact.service}: ${fact.waitingDeadLetters} dead letter(s) waiting`);
      }
    }
    const sum = (pick: (fact: MessagingFact) => number | undefined): number =>
      facts.messaging.reduce((total, fact) => total + (pick(fact) ?? 0), 0);
    return outcome(
      {
        services: facts.messaging.length,
        'outbox messages': sum((fact) => fact.outboxDepth),
        'dead letters': sum((fact) => fact.waitingDeadLetters),
      },
      violations,
    );
  },
};

/** 6. Every order stream's versions run 1..n. */
export const streamsContiguous: Invariant = {
  number: 6,
  title: 'event stream versions are contiguous',
  check(facts) {
    const violations = [
      ...facts.ordering.orders
        .filter((order) => !order.streamContiguous)
        .map((order) => `stream of order ${order.orderId} has a gap or a doubled version (at ${order.streamVersion})`),
      ...facts.ordering.unreadableStreams.map((stream) => `stream ${stream} does not begin with OrderPlaced`),
    ];
    const events = facts.ordering.orders.reduce((sum, order) => sum + order.streamVersion, 0);
    return outcome(
      { streams: facts.ordering.orders.length + facts.ordering.unreadableStreams.length, events },
      violations,
    );
  },
};

export const INVARIANTS: readonly Invariant[] = [
  ordersEnded,
  noOversell,
  paymentsMatchOrders,
  orderHistoryAgrees,
  messagingDrained,
  streamsContiguous,
];

export interface InvariantReport {
  readonly invariant: Invariant;
  /** Undefined when skipped. */
  readonly outcome: Outcome | undefined;
  readonly note?: string;
}

/** Checks every invariant whose service runs; one report per invariant, in CONSISTENCY.md's order. */
export function checkInvariants(
  facts: Facts,
  services: ReadonlySet<string>,
  invariants: readonly Invariant[] = INVARIANTS,
): InvariantReport[] {
  return invariants.map((invariant) => {
    if (invariant.requiresService && !services.has(invariant.requiresService)) {
      return {
        invariant,
        outcome: undefined,
        note: `skipped: no ${invariant.requiresService} service in the topology`,
      };
    }
    const unavailable = invariant.unavailable?.(facts);
    if (unavailable !== undefined) return { invariant, outcome: undefined, note: `skipped: ${unavailable}` };
    return { invariant, outcome: invariant.check(facts) };
  });
}

export function allHold(reports: readonly InvariantReport[]): boolean {
  return reports.every((report) => report.outcome === undefined || report.outcome.holds);
}
