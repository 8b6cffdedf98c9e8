import { describe, expect, it } from 'vitest';
import {
  allHold,
  checkInvariants,
  messagingDrained,
  noOversell,
  orderHistoryAgrees,
  ordersEnded,
  paymentsMatchOrders,
  streamsContiguous,
  type Facts,
  type OrderFact,
} from './check-invariants-rules.ts';

const SHOE = '0190f5c8-0000-7000-8000-000000000001';
const BAG = '0190f5c8-0000-7000-8000-000000000002';
const APPROVED = '0190f5c8-0000-7000-8000-0000000000a1';
const REJECTED = '0190f5c8-0000-7000-8000-0000000000b1';

function order(orderId: string, status: string, lines = [{ productId: SHOE, quantity: 2 }]): OrderFact {
  return {
    orderId,
    status,
    customerId: '0190f5c8-0000-7000-8000-0000000000c1',
    paymentMethod: 'card',
    lines,
    streamVersion: 3,
    streamContiguous: true,
    sagaState: status === 'approved' ? 'completed' : status === 'pending' ? 'running' : 'compensated',
  };
}

/** A quiet system after one approved order (two shoes, in two sizes) and one declined one. */
function healthy(): Facts {
  return {
    ordering: {
      orders: [
        order(APPROVED, 'approved', [
          { productId: SHOE, quantity: 1 },
          { productId: SHOE, quantity: 1 },
        ]),
        order(REJECTED, 'rejected', [{ productId: BAG, quantity: 1 }]),
      ],
      unreadableStreams: [],
    },
    inventory: {
      products: [
        { productId: SHOE, onHand: 3, reserved: 0, committed: 2 },
        { productId: BAG, onHand: 1, reserved: 0, committed: 0 },
      ],
      reservations: [
        { orderId: APPROVED, state: 'committed', lines: [{ productId: SHOE, quantity: 2 }] },
        { orderId: REJECTED, state: 'released', lines: [{ productId: BAG, quantity: 1 }] },
      ],
    },
    payment: {
      payments: [
        { paymentId: 'p1', orderId: APPROVED, state: 'captured', providerAuthorizationId: 'auth_1' },
        { paymentId: 'p2', orderId: REJECTED, state: 'declined', providerAuthorizationId: 'auth_2' },
      ],
    },
    provider: [
      { id: 'auth_1', status: 'captured', reference: APPROVED },
      { id: 'auth_2', status: 'declined', reference: REJECTED },
    ],
    messaging: [
      { service: 'ordering', outboxDepth: 0, waitingDeadLetters: 0 },
      { service: 'inventory', outboxDepth: 0, waitingDeadLetters: 0 },
    ],
    orderHistory: [
      {
        orderId: APPROVED,
        summary: { status: 'approved', totalAmount: 100, lines: [{ productId: SHOE, quantity: 2 }] },
      },
      { orderId: REJECTED, summary: { status: 'rejected', totalAmount: 50, lines: [{ productId: BAG, quantity: 1 }] } },
    ],
  };
}

function withOrders(facts: Facts, change: (orders: OrderFact[]) => OrderFact[]): Facts {
  return { ...facts, ordering: { ...facts.ordering, orders: change([...facts.ordering.orders]) } };
}

describe('the invariants over a consistent system', () => {
  it('all hold, with counts of what was checked', () => {
    const reports = checkInvariants(healthy(), new Set(['ordering', 'order-history']));
    expect(reports.map((report) => [report.invariant.number, report.outcome?.holds])).toEqual([
      [1, true],
      [2, true],
      [3, true],
      [4, true],
      [5, true],
      [6, true],
    ]);
    expect(reports[0]?.outcome?.counts).toMatchObject({ orders: 2, approved: 1, rejected: 1 });
    expect(reports[1]?.outcome?.counts).toMatchObject({ 'units committed': 2 });
    expect(allHold(reports)).toBe(true);
  });

  it('skips the order-history check when the topology has no such service, and still holds', () => {
    const reports = checkInvariants(healthy(), new Set(['ordering']));
    const history = reports.find((report) => report.invariant.number === 4);
    expect(history?.outcome).toBeUndefined();
    expect(history?.note).toMatch(/no order-history service/);
    expect(allHold(reports)).toBe(true);
  });
  it('skips the order-history check, saying why, when order-history runs but cannot be read', () => {
    const facts: Facts = { ...healthy(), orderHistory: undefined, orderHistoryUnavailable: 'no readable view' };
    const reports = checkInvariants(facts, new Set(['ordering', 'order-history']));
    expect(reports.find((report) => report.invariant.number === 4)).toMatchObject({
      outcome: undefined,
      note: 'skipped: no readable view',
    });
  });
});

describe('1. every order has ended', () => {
  it('fails on an order still pending with a card payment', () => {
    const facts = withOrders(healthy(), (orders) => [
      ...orders,
      order('0190f5c8-0000-7000-8000-0000000000d1', 'pending'),
    ]);
    const result = ordersEnded.check(facts);
    expect(result.holds).toBe(false);
    expect(result.violations[0]).toMatch(/still pending \(saga running\)/);
  });

  it('fails on an ended order whose saga has not ended', () => {
    const facts = withOrders(healthy(), (orders) => orders.map((o) => ({ ...o, sagaState: 'compensating' })));
    expect(ordersEnded.check(facts).violations).toHaveLength(2);
  });

  it('lets an order wait for a counter payment whose slip is still open', () => {
    const waiting = { ...order('0190f5c8-0000-7000-8000-0000000000d2', 'pending'), paymentMethod: 'counter' };
    const base = withOrders(healthy(), (orders) => [...orders, waiting]);
    const facts: Facts = {
      ...base,
      payment: {
        payments: [
          ...base.payment.payments,
          { paymentId: 'p3', orderId: waiting.orderId, state: 'pending', providerAuthorizationId: null },
        ],
      },
    };
    expect(ordersEnded.check(facts)).toMatchObject({ holds: true, counts: { waiting: 1 } });
    const expired: Facts = {
      ...facts,
      payment: {
        payments: facts.payment.payments.map((p) => (p.orderId === waiting.orderId ? { ...p, state: 'expired' } : p)),
      },
    };
    expect(ordersEnded.check(expired).holds).toBe(false);
  });
});

describe('2. no stock oversold', () => {
  it('fails on negative stock on hand', () => {
    const facts = healthy();
    const broken: Facts = {
      ...facts,
      inventory: {
        ...facts.inventory,
        products: facts.inventory.products.map((p) => (p.productId === BAG ? { ...p, onHand: -1 } : p)),
      },
    };
    expect(noOversell.check(broken).violations).toEqual([`product ${BAG} has -1 on hand`]);
  });

  it('fails when reserved units differ from the held reservations', () => {
    const facts = healthy();
    const broken: Facts = {
      ...facts,
      inventory: {
        ...facts.inventory,
        products: facts.inventory.products.map((p) => (p.productId === BAG ? { ...p, reserved: 1 } : p)),
      },
    };
    expect(noOversell.check(broken).violations[0]).toMatch(/1 reserved, but held reservations hold 0/);
  });

  it('fails when committed units differ from the lines of approved orders', () => {
    const facts = withOrders(healthy(), (orders) =>
      orders.map((o) => (o.orderId === APPROVED ? { ...o, lines: [{ productId: SHOE, quantity: 3 }] } : o)),
    );
    expect(noOversell.check(facts).violations[0]).toMatch(/2 committed, but approved orders hold 3/);
  });

  it('fails on a held reservation of a rejected order, and of an order nobody knows', () => {
    const facts = healthy();
    const broken: Facts = {
      ...facts,
      inventory: {
        products: facts.inventory.products.map((p) => (p.productId === BAG ? { ...p, reserved: 2 } : p)),
        reservations: [
          ...facts.inventory.reservations.filter((r) => r.orderId !== REJECTED),
          { orderId: REJECTED, state: 'held', lines: [{ productId: BAG, quantity: 1 }] },
          { orderId: '0190f5c8-0000-7000-8000-0000000000e1', state: 'held', lines: [{ productId: BAG, quantity: 1 }] },
        ],
      },
    };
    const { violations } = noOversell.check(broken);
    expect(violations).toContain(`reservation of rejected order ${REJECTED} still holds stock`);
    expect(violations.some((v) => v.startsWith('reservation of unknown order'))).toBe(true);
  });
});

describe('3. captured iff approved, nobody charged twice', () => {
  it('fails on a captured payment of a rejected order', () => {
    const facts = healthy();
    const broken: Facts = {
      ...facts,
      payment: { payments: facts.payment.payments.map((p) => ({ ...p, state: 'captured' })) },
    };
    expect(paymentsMatchOrders.check(broken).violations).toContain(`payment of rejected order ${REJECTED} is captured`);
  });

  it('fails on an approved order whose payment was voided', () => {
    const facts = healthy();
    const broken: Facts = {
      ...facts,
      payment: {
        payments: facts.payment.payments.map((p) => (p.orderId === APPROVED ? { ...p, state: 'voided' } : p)),
      },
      provider: facts.provider.map((a) => (a.id === 'auth_1' ? { ...a, status: 'voided' } : a)),
    };
    const { violations } = paymentsMatchOrders.check(broken);
    expect(violations).toContain(`payment of approved order ${APPROVED} is voided`);
    expect(violations).toContain(`approved order ${APPROVED} has payment voided`);
  });

  it('fails on two captures for one order at the provider', () => {
    const facts = healthy();
    const broken: Facts = {
      ...facts,
      provider: [...facts.provider, { id: 'auth_3', status: 'refunded', reference: APPROVED }],
    };
    expect(paymentsMatchOrders.check(broken).violations).toEqual([
      `order ${APPROVED} was charged 2 times at the provider`,
    ]);
  });

  it('fails when payment and provider disagree about a capture', () => {
    const facts = healthy();
    const broken: Facts = {
      ...facts,
      provider: facts.provider.map((a) => (a.id === 'auth_1' ? { ...a, status: 'authorized' } : a)),
    };
    expect(paymentsMatchOrders.check(broken).violations[0]).toMatch(/is captured, the provider says authorized/);
  });
});

describe('4. order-history agrees with ordering', () => {
  it('fails on a missing summary and on a status that differs', () => {
    const facts = healthy();
    const broken: Facts = {
      ...facts,
      orderHistory: [
        {
          orderId: APPROVED,
          summary: { status: 'pending', totalAmount: 100, lines: [{ productId: SHOE, quantity: 2 }] },
        },
      ],
    };
    expect(orderHistoryAgrees.check(broken).violations).toEqual([
      `order ${APPROVED} is approved, order-history says pending`,
      `order ${REJECTED} is missing from order-history`,
    ]);
  });
});

describe('5. outboxes drained, dead letters empty', () => {
  it('fails on messages left in an outbox, dead letters, and a service that could not be read', () => {
    const facts: Facts = {
      ...healthy(),
      messaging: [
        { service: 'ordering', outboxDepth: 3, waitingDeadLetters: 0 },
        { service: 'payment', outboxDepth: 0, waitingDeadLetters: 1 },
        { service: 'inventory', outboxDepth: undefined, waitingDeadLetters: undefined, problem: 'did not answer' },
      ],
    };
    const result = messagingDrained.check(facts);
    expect(result.violations).toEqual([
      'ordering: 3 message(s) in the outbox',
      'payment: 1 dead letter(s) waiting',
      'inventory: did not answer',
      'inventory: outbox depth unknown',
      'inventory: dead letters unknown',
    ]);
    expect(result.counts).toMatchObject({ 'outbox messages': 3, 'dead letters': 1 });
  });
});

describe('6. event stream versions are contiguous', () => {
  it('fails on a stream with a gap and on a stream that does not fold to an order', () => {
    const facts = withOrders(healthy(), (orders) =>
      orders.map((o) => (o.orderId === APPROVED ? { ...o, streamContiguous: false } : o)),
    );
    const broken: Facts = { ...facts, ordering: { ...facts.ordering, unreadableStreams: ['order-x'] } };
    const result = streamsContiguous.check(broken);
    expect(result.violations).toHaveLength(2);
    expect(allHold(checkInvariants(broken, new Set()))).toBe(false);
  });
});
