/**
 * "My orders" in words a person reads: where an order stands, the milestones it passed (placed, paid,
 * shipped, delivered, or cancelled / not placed), every fact of its timeline, and whether it may still
 * be cancelled. Plain functions over order-history's summary, so they are tested without a browser.
 */
import type { OrderStage, OrderSummary, TimelineStep } from '@talad/contracts-order-history';

export const STAGE_LABELS: Record<OrderStage, string> = {
  pending: 'Being confirmed',
  awaiting_payment: 'Waiting for payment',
  approved: 'Paid, being packed',
  shipped: 'On its way',
  delivered: 'Delivered',
  rejected: 'Not placed',
  cancelled: 'Cancelled',
};

/** The badge colour of a stage: the styles know ok, warn and bad. */
export const STAGE_TONES: Record<OrderStage, 'ok' | 'warn' | 'bad'> = {
  pending: 'warn',
  awaiting_payment: 'warn',
  approved: 'ok',
  shipped: 'ok',
  delivered: 'ok',
  rejected: 'bad',
  cancelled: 'bad',
};

export const TIMELINE_LABELS: Record<TimelineStep, string> = {
  placed: 'Order placed',
  payment_pending: 'Pay slip issued',
  payment_authorized: 'Card authorized',
  paid: 'Paid',
  payment_declined: 'Payment declined',
  payment_expired: 'Pay slip expired unpaid',
  payment_voided: 'Card authorization released',
  payment_refunded: 'Payment refunded',
  approved: 'Order confirmed',
  rejected: 'Order not placed',
  cancelled: 'Order cancelled',
  shipment_created: 'Parcel being prepared',
  dispatched: 'Handed to the courier',
  in_transit: 'On its way',
  delivered: 'Delivered',
  shipment_cancelled: 'Delivery cancelled',
};

export type MilestoneName = 'placed' | 'paid' | 'shipped' | 'delivered' | 'cancelled' | 'rejected';

export interface Milestone {
  readonly name: MilestoneName;
  readonly label: string;
  /** When it happened; absent while it is still to come. */
  readonly at?: string;
}

const MILESTONE_LABELS: Record<MilestoneName, string> = {
  placed: 'Placed',
  paid: 'Paid',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  rejected: 'Not placed',
};

/** Which timeline facts mark each milestone, the first one found winning. */
const MARKS: Record<MilestoneName, readonly TimelineStep[]> = {
  placed: ['placed'],
  paid: ['paid'],
  shipped: ['dispatched', 'in_transit'],
  delivered: ['delivered'],
  cancelled: ['cancelled'],
  rejected: ['rejected'],
};

/**
 * The milestones to draw: placed, paid, shipped, delivered, with the time of those passed. An order
 * that ended cancelled or not placed shows the milestones it did pass, then that end.
 *
 * @example
 * milestonesOf({ stage: 'awaiting_payment', timeline: [{ step: 'placed', at }] });
 * // [{ name: 'placed', at }, { name: 'paid' }, { name: 'shipped' }, { name: 'delivered' }] (with labels)
 */
export function milestonesOf(summary: Pick<OrderSummary, 'stage' | 'timeline'>): Milestone[] {
  const atOf = (name: MilestoneName): string | undefined => {
    for (const step of MARKS[name]) {
      const entry = summary.timeline.find((candidate) => candidate.step === step);
      if (entry) return entry.at;
    }
    return undefined;
  };
  const milestone = (name: MilestoneName): Milestone => {
    const at = atOf(name);
    return { name, label: MILESTONE_LABELS[name], ...(at ? { at } : {}) };
  };
  const journey = (['placed', 'paid', 'shipped', 'delivered'] as const).map(milestone);
  if (summary.stage !== 'cancelled' && summary.stage !== 'rejected') return journey;
  return [...journey.filter((passed) => passed.at !== undefined), milestone(summary.stage)];
}

/**
 * Whether to offer "Cancel order": until the parcel leaves. Ordering has the last word (it answers
 * 409, with the reason, once it is too late), so this only hides a button that could not work.
 */
export function mayCancel(stage: OrderStage): boolean {
  return stage === 'pending' || stage === 'awaiting_payment' || stage === 'approved';
}

/** Stages after which nothing more happens to an order, so pages stop asking. */
export function isFinal(stage: OrderStage): boolean {
  return stage === 'delivered' || stage === 'rejected' || stage === 'cancelled';
}

/** `2026-11-27T10:15:00Z` → "27 Nov 2026, 17:15" in the person's own time zone. */
export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
