import { eventually } from '@talad/messaging/testing';
import { allHold, checkInvariants, type InvariantReport } from '../../tools/talad/src/check-invariants-rules.ts';
import type { CheckoutSystem } from '../support/checkout-harness.ts';

/** Where an order ended up in each service that took part in its checkout. */
export interface OrderOutcome {
  readonly orderId: string;
  readonly status: string;
  readonly rejectionReason: string | null;
  /** Inventory's reservation for it, if any. */
  readonly reservation: string | null;
  /** Payment's record of it, if any. */
  readonly payment: string | null;
  /** The provider's authorizations under the order's reference, by status. */
  readonly authorizations: readonly string[];
  readonly sagaState: string;
}

export async function outcomeOf(system: CheckoutSystem, orderId: string): Promise<OrderOutcome> {
  const [order, reservation, payment, authorizations, saga] = await Promise.all([
    system.order(orderId),
    system.reservation(orderId),
    system.paymentOf(orderId),
    system.authorizations(orderId),
    system.saga(orderId),
  ]);
  return {
    orderId,
    status: order.status,
    rejectionReason: order.rejectionReason,
    reservation: reservation?.state ?? null,
    payment: payment?.state ?? null,
    authorizations: authorizations.map((authorization) => authorization.status).sort(),
    sagaState: saga.state,
  };
}

const STOCK_GIVEN_BACK = new Set([null, 'released', 'rejected', 'expired']);
const MONEY_GIVEN_BACK = new Set([null, 'voided', 'declined', 'closed', 'refunded']);
const PROVIDER_GIVEN_BACK = new Set(['voided', 'declined', 'refunded']);

/**
 * Says what disagrees between ordering, inventory, payment and the provider about one ended order: an
 * approved order has its stock committed, its payment captured and exactly one capture at the provider;
 * a rejected or cancelled one holds no stock and no money, and nothing it authorized is left open.
 */
export function disagreements(outcome: OrderOutcome): string[] {
  const found: string[] = [];
  const say = (what: string) => found.push(`order ${outcome.orderId} (${outcome.status}): ${what}`);
  if (outcome.status === 'approved') {
    if (outcome.sagaState !== 'completed') say(`saga ${outcome.sagaState}`);
    if (outcome.reservation !== 'committed') say(`reservation ${outcome.reservation ?? 'missing'}`);
    if (outcome.payment !== 'captured') say(`payment ${outcome.payment ?? 'missing'}`);
    const captures = outcome.authorizations.filter((status) => status === 'captured').length;
    if (captures !== 1) say(`${captures} captures at the provider`);
    const open = outcome.authorizations.filter((status) => status !== 'captured' && !PROVIDER_GIVEN_BACK.has(status));
    if (open.length > 0) say(`authorizations left ${open.join(', ')} at the provider`);
  } else if (outcome.status === 'rejected' || outcome.status === 'cancelled') {
    if (outcome.sagaState !== 'compensated') say(`saga ${outcome.sagaState}`);
    if (!STOCK_GIVEN_BACK.has(outcome.reservation)) say(`reservation ${outcome.reservation ?? 'missing'}`);
    if (!MONEY_GIVEN_BACK.has(outcome.payment)) say(`payment ${outcome.payment ?? 'missing'}`);
    const kept = outcome.authorizations.filter((status) => !PROVIDER_GIVEN_BACK.has(status));
    if (kept.length > 0) say(`the provider still holds ${kept.join(', ')}`);
  } else {
    say('has not ended');
  }
  return found;
}

/** The outcomes of `orderIds`, once each agrees across the services (or the last ones seen, with what disagrees). */
export async function agreedOutcomes(system: CheckoutSystem, orderIds: readonly string[]): Promise<OrderOutcome[]> {
  // The order's status is written in the same transaction as the saga's last step; the participants'
  // own records were written before their replies, so once the order ended they must already agree.
  const outcomes = await Promise.all(orderIds.map((orderId) => outcomeOf(system, orderId)));
  const found = outcomes.flatMap(disagreements);
  if (found.length > 0) throw new Error(`the services disagree:\n  ${found.join('\n  ')}`);
  return outcomes;
}

const SERVICES = new Set(['identity', 'inventory', 'payment', 'ordering', 'card-provider']);

/**
 * Waits until CONSISTENCY.md's invariants (as `talad check` checks them) hold over everything the system
 * did so far, once it is quiet (outboxes drained); fails with the violations if they do not.
 */
export async function expectInvariantsHold(system: CheckoutSystem, timeoutMs = 20_000): Promise<void> {
  let reports: InvariantReport[] = [];
  try {
    await eventually(async () => (reports = checkInvariants(await system.facts(), SERVICES)), allHold, {
      timeoutMs,
      intervalMs: 200,
      what: 'the invariants to hold',
    });
  } catch {
    const failing = reports
      .filter((report) => report.outcome && !report.outcome.holds)
      .map((report) => `${report.invariant.title}: ${report.outcome?.violations.join('; ') ?? ''}`);
    throw new Error(`invariants fail once the system is quiet:\n  ${failing.join('\n  ')}`);
  }
}
