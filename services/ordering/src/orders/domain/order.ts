import type { ShippingAddress, ShippingOption } from '@talad/contracts-common';
import type { ORDER_REJECTION_REASONS, OrderLine, OrderStatus, OrderTotals } from '@talad/contracts-ordering';

/**
 * The Order aggregate as plain data: its events, the commands it accepts and the state folded from its
 * events. Times are ISO-8601 strings, so events and commands are JSON as they are.
 */
export type OrderRejectionReason = (typeof ORDER_REJECTION_REASONS)[number];
export type CancelledBy = 'customer' | 'admin' | 'system';

export interface OrderDetails {
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly OrderLine[];
  readonly totals: OrderTotals;
  readonly shippingAddress: ShippingAddress;
  readonly shippingOption: ShippingOption;
  readonly paymentMethod: 'card';
}

export type OrderEvent =
  | { readonly type: 'OrderPlaced'; readonly data: OrderDetails & { readonly placedAt: string } }
  | {
      readonly type: 'PaymentAuthorized';
      readonly data: { readonly brand: string; readonly last4: string; readonly authorizedAt: string };
    }
  | {
      readonly type: 'CancellationRequested';
      readonly data: { readonly requestedBy: CancelledBy; readonly requestedAt: string };
    }
  | { readonly type: 'OrderApproved'; readonly data: { readonly approvedAt: string } }
  | {
      readonly type: 'OrderRejected';
      readonly data: { readonly reason: OrderRejectionReason; readonly rejectedAt: string };
    }
  | {
      readonly type: 'OrderCancelled';
      readonly data: { readonly cancelledBy: CancelledBy; readonly cancelledAt: string };
    };

export type OrderCommand =
  | { readonly type: 'PlaceOrder'; readonly order: OrderDetails; readonly at: string }
  | { readonly type: 'RecordPaymentAuthorization'; readonly brand: string; readonly last4: string; readonly at: string }
  | { readonly type: 'RequestCancellation'; readonly by: CancelledBy; readonly at: string }
  | { readonly type: 'ApproveOrder'; readonly at: string }
  | { readonly type: 'RejectOrder'; readonly reason: OrderRejectionReason; readonly at: string }
  | { readonly type: 'CancelOrder'; readonly by: CancelledBy; readonly at: string };

export interface Order extends OrderDetails {
  readonly status: OrderStatus;
  readonly payment: { readonly brand: string | null; readonly last4: string | null };
  readonly rejectionReason: OrderRejectionReason | null;
  /** Set when someone asked to cancel while checkout was running; the order ends cancelled once undone. */
  readonly cancellationRequested: { readonly by: CancelledBy; readonly at: string } | null;
  readonly placedAt: string;
  readonly updatedAt: string;
}

/** No order yet: the state of a stream with no events. */
export type OrderState = Order | null;

export function initialState(): OrderState {
  return null;
}
