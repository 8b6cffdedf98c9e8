import type { ShippingAddress, ShippingOption } from '@talad/contracts-common';
import type {
  ORDER_REJECTION_REASONS,
  OrderCancellationReason,
  OrderLine,
  OrderStatus,
  OrderTotals,
} from '@talad/contracts-ordering';
import type { PaySlip } from '@talad/contracts-payment';

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
  /** A card authorized at checkout, or a slip paid later at a counter. */
  readonly paymentMethod: 'card' | 'counter';
}

export type OrderEvent =
  | { readonly type: 'OrderPlaced'; readonly data: OrderDetails & { readonly placedAt: string } }
  | {
      readonly type: 'PaymentAuthorized';
      readonly data: { readonly brand: string; readonly last4: string; readonly authorizedAt: string };
    }
  /** Pay at counter: payment issued the slip the customer pays with. */
  | { readonly type: 'PaySlipIssued'; readonly data: { readonly slip: PaySlip; readonly issuedAt: string } }
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
      readonly data: {
        readonly cancelledBy: CancelledBy;
        readonly cancelledAt: string;
        /** Why the system cancelled it by itself; absent when someone asked. */
        readonly reason?: OrderCancellationReason;
      };
    }
  /** An approved order's cancellation saga started (`sagaId`): shipment stopped, payment refunded, stock returned. */
  | {
      readonly type: 'CancellationStarted';
      readonly data: { readonly sagaId: string; readonly requestedBy: CancelledBy; readonly requestedAt: string };
    }
  /** The cancellation saga could not stop the shipment (already dispatched): the order stays approved. */
  | { readonly type: 'CancellationRefused'; readonly data: { readonly reason: string; readonly refusedAt: string } }
  | { readonly type: 'OrderShipped'; readonly data: { readonly trackingNumber: string; readonly shippedAt: string } }
  | { readonly type: 'OrderDelivered'; readonly data: { readonly deliveredAt: string } };

export type OrderCommand =
  | { readonly type: 'PlaceOrder'; readonly order: OrderDetails; readonly at: string }
  | { readonly type: 'RecordPaymentAuthorization'; readonly brand: string; readonly last4: string; readonly at: string }
  | { readonly type: 'RecordPaySlip'; readonly slip: PaySlip; readonly at: string }
  | { readonly type: 'RequestCancellation'; readonly by: CancelledBy; readonly at: string }
  | { readonly type: 'ApproveOrder'; readonly at: string }
  | { readonly type: 'RejectOrder'; readonly reason: OrderRejectionReason; readonly at: string }
  | {
      readonly type: 'CancelOrder';
      readonly by: CancelledBy;
      readonly at: string;
      readonly reason?: OrderCancellationReason;
    }
  | { readonly type: 'StartCancellation'; readonly sagaId: string; readonly by: CancelledBy; readonly at: string }
  | { readonly type: 'RefuseCancellation'; readonly reason: string; readonly at: string }
  | { readonly type: 'RecordShipment'; readonly trackingNumber: string; readonly at: string }
  | { readonly type: 'RecordDelivery'; readonly trackingNumber: string; readonly at: string };

/** Where an approved order's parcel is, once it left the warehouse. */
export interface Fulfilment {
  readonly status: 'shipped' | 'delivered';
  readonly trackingNumber: string;
  readonly shippedAt: string;
  readonly deliveredAt: string | null;
}

/** The cancellation of an approved order: its saga running, or refused (with why). */
export interface CancellationAfterApproval {
  readonly state: 'running' | 'refused';
  readonly sagaId: string;
  readonly by: CancelledBy;
  readonly at: string;
  readonly reason: string | null;
}

export interface Order extends OrderDetails {
  readonly status: OrderStatus;
  /** The card's brand and last four digits, or the counter slip, once payment told. */
  readonly payment: { readonly brand: string | null; readonly last4: string | null; readonly slip?: PaySlip | null };
  readonly rejectionReason: OrderRejectionReason | null;
  /**
   * Set when someone asked to cancel while checkout was running (the order ends cancelled once undone),
   * or when the system cancelled it by itself, with its `reason`.
   */
  readonly cancellationRequested: {
    readonly by: CancelledBy;
    readonly at: string;
    readonly reason?: OrderCancellationReason;
  } | null;
  /** Set when an approved order is being (or could not be) cancelled; stays once the order is cancelled. */
  readonly cancellation: CancellationAfterApproval | null;
  readonly fulfilment: Fulfilment | null;
  readonly placedAt: string;
  readonly updatedAt: string;
}

/** No order yet: the state of a stream with no events. */
export type OrderState = Order | null;

export function initialState(): OrderState {
  return null;
}
