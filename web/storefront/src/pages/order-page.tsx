import { useEffect, useRef, useState } from 'react';
import type { OrderSummary } from '@talad/contracts-order-history';
import type { OrderView } from '@talad/contracts-ordering';
import type { PaySlip } from '@talad/contracts-payment';
import { getOrder, getOrderSummary, putBasketItem } from '../api/client.ts';
import { ApiError, messageOf } from '../api/http.ts';
import { reloadBasket } from '../basket-store.ts';
import { CancelOrderButton } from '../components/cancel-order-button.tsx';
import { OrderTimelineView } from '../components/order-timeline-view.tsx';
import { PaySlipView } from '../components/pay-slip-view.tsx';
import { AddressSummary, OrderBreakdown } from '../components/order-breakdown.tsx';
import { ErrorNotice, Loading } from '../components/status.tsx';
import { REJECTION_MESSAGES, STATUS_TITLES, stepLabel } from '../order-status.ts';
import { formatWhen, isFinal, mayCancel, STAGE_LABELS, STAGE_TONES } from '../order-timeline.ts';
import { Link, navigate } from '../router.tsx';
import { useSignedIn } from '../session.ts';

const POLL_MS = 1_000;
/** A slip waits for the customer to go to a counter: minutes or days, so no need to ask every second. */
const SLIP_POLL_MS = 3_000;
/** How often "my orders" is asked again while the order still moves (payment, shipping). */
const SUMMARY_POLL_MS = 2_000;

/**
 * The order: live from ordering while checkout runs (polled until it is approved, rejected or
 * cancelled), and from order-history after that: the pay slip, the timeline, shipping, cancellation.
 */
export function OrderPage({ id }: { id: string }) {
  const signedIn = useSignedIn();
  const [order, setOrder] = useState<OrderView>();
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  const summary = useOrderSummary(id, signedIn, attempt);
  const [cancelling, setCancelling] = useState(false);
  const basketShownAt = useRef<string>(undefined);

  useEffect(() => {
    if (!signedIn) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const view = await getOrder(id, abort.signal);
        setOrder(view);
        // Placing the order empties the basket (basket follows OrderPlaced): show it once checkout ends,
        // or once a pay slip is out (the order then waits for the counter, maybe for days).
        const moment = view.status !== 'pending' ? 'ended' : view.payment.slip ? 'slip issued' : undefined;
        if (moment && moment !== basketShownAt.current) {
          basketShownAt.current = moment;
          void reloadBasket();
        }
        setError(undefined);
        if (view.status === 'pending')
          timer = setTimeout(() => void poll(), view.payment.slip ? SLIP_POLL_MS : POLL_MS);
      } catch (failure) {
        if (abort.signal.aborted) return;
        setError(failure);
        // A passing outage should not end the live view; a missing order should.
        if (!(failure instanceof ApiError) || failure.status >= 500 || failure.status === 0) {
          timer = setTimeout(() => void poll(), POLL_MS * 3);
        }
      }
    };
    void poll();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [id, signedIn, attempt]);

  if (!signedIn) {
    return (
      <div className="empty">
        <h1>Sign in to see this order</h1>
        <Link href={`/sign-in?next=${encodeURIComponent(`/orders/${id}`)}`}>Sign in</Link>
      </div>
    );
  }
  if (!order) {
    if (error instanceof ApiError && error.status === 404) {
      return (
        <div className="empty">
          <h1>Order not found</h1>
          <Link href="/">Back to the shop</Link>
        </div>
      );
    }
    if (error !== undefined) return <ErrorNotice error={error} onRetry={() => setAttempt((count) => count + 1)} />;
    return <Loading label="Loading your order…" />;
  }

  const slip: PaySlip | null = order.payment.slip ?? summary?.payment?.slip ?? null;
  const stage = summary?.stage;
  const ended = order.status === 'cancelled' || stage === 'cancelled';
  // Once payment says the slip was paid, expired or voided, it is no longer one to take to a counter.
  const slipStillOpen = (summary?.payment?.state ?? 'pending') === 'pending';
  const awaitingPayment = order.status === 'pending' && slip !== null && slipStillOpen && !cancelling && !ended;
  const offerCancel =
    !cancelling &&
    !ended &&
    order.status !== 'rejected' &&
    (stage === undefined ? order.status === 'pending' : mayCancel(stage));

  return (
    <div className={`order-page order-${order.status}`}>
      <div className="order-head">
        <h1 data-testid="order-title">{titleOf(order, stage, awaitingPayment)}</h1>
        <p>
          Order number <strong data-testid="order-number">{order.id}</strong>
        </p>
        <p>
          Status:{' '}
          <span className={`badge badge-${order.status}`} data-testid="order-status" role="status" aria-live="polite">
            {order.status}
          </span>
          {stage && (
            <>
              {' '}
              <span className={`badge badge-${STAGE_TONES[stage]}`} data-testid="order-stage">
                {STAGE_LABELS[stage]}
              </span>
            </>
          )}
        </p>
      </div>
      {error !== undefined && <ErrorNotice error={error} />}
      {order.status === 'pending' && !awaitingPayment && <Progress order={order} />}
      {awaitingPayment && <PaySlipView slip={slip} now={new Date()} />}
      {order.status === 'rejected' && <Rejected order={order} />}
      {ended && (
        <p className="notice notice-error" role="alert" data-testid="cancelled">
          {order.cancellation?.reason === 'PAYMENT_EXPIRED'
            ? 'This order was cancelled: its pay slip expired before it was paid. Nothing was charged.'
            : summary?.payment?.state === 'refunded'
              ? 'This order was cancelled. Your payment was refunded, and the items went back on the shelf.'
              : 'This order was cancelled. Nothing was charged, and the items went back on the shelf.'}
        </p>
      )}
      {cancelling && !ended && <Loading label="Cancelling your order…" />}
      {summary && <OrderTimelineView summary={summary} />}
      <Receipt order={order} summary={summary} />
      <div className="order-actions">
        {order.status === 'approved' && (
          <button type="button" className="button button-secondary" onClick={() => window.print()}>
            Print receipt
          </button>
        )}
        {offerCancel && (
          <CancelOrderButton
            orderId={order.id}
            onCancelling={() => {
              setCancelling(true);
              setAttempt((count) => count + 1);
            }}
          />
        )}
        <Link href="/orders" className="button button-secondary">
          My orders
        </Link>
        <Link href="/" className="button button-secondary">
          Continue shopping
        </Link>
      </div>
    </div>
  );
}

function titleOf(order: OrderView, stage: OrderSummary['stage'] | undefined, awaitingPayment: boolean): string {
  if (stage === 'cancelled') return STATUS_TITLES.cancelled;
  if (awaitingPayment) return 'Your order is waiting for payment';
  if (stage === 'shipped') return 'Your order is on its way';
  if (stage === 'delivered') return 'Your order was delivered';
  return STATUS_TITLES[order.status];
}

/**
 * The order as order-history tells it (timeline, payment, shipment), asked again until it ends. Its
 * events may arrive a moment after the order was placed: until then it is simply not shown.
 */
function useOrderSummary(id: string, signedIn: boolean, attempt: number): OrderSummary | undefined {
  const [summary, setSummary] = useState<OrderSummary>();
  useEffect(() => {
    if (!signedIn) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      let next: OrderSummary | undefined;
      try {
        next = await getOrderSummary(id, abort.signal);
        setSummary(next);
      } catch {
        if (abort.signal.aborted) return;
        // Not there yet, or order-history is down for a moment: the rest of the page still works.
      }
      if (!next || !isFinal(next.stage)) timer = setTimeout(() => void poll(), SUMMARY_POLL_MS);
    };
    void poll();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [id, signedIn, attempt]);
  return summary;
}

function Progress({ order }: { order: OrderView }) {
  return (
    <ol className="checkout-progress" aria-label="Checkout progress">
      {order.checkout.steps.map((step) => (
        <li key={step.name} className={`progress-${step.state}`}>
          <span className="progress-mark" aria-hidden="true">
            {step.state === 'done' ? '✓' : step.state === 'running' ? '…' : step.state === 'failed' ? '✗' : '○'}
          </span>
          {stepLabel(step.name)} <span className="visually-hidden">({step.state})</span>
        </li>
      ))}
    </ol>
  );
}

function Rejected({ order }: { order: OrderView }) {
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');
  const [error, setError] = useState<string>();
  const message = order.rejectionReason ? REJECTION_MESSAGES[order.rejectionReason] : 'Nothing was charged.';
  // Placing the order emptied the basket; one click puts the lines back to try again.
  const putBack = async (): Promise<void> => {
    setState('busy');
    try {
      for (const line of order.lines) {
        await putBasketItem(line.productId, { quantity: line.quantity, ...(line.size ? { size: line.size } : {}) });
      }
      await reloadBasket();
      setState('done');
      navigate('/checkout');
    } catch (failure) {
      setError(messageOf(failure));
      setState('idle');
    }
  };
  return (
    <div className="notice notice-error" role="alert" data-testid="rejection">
      <p>{message}</p>
      {error && <p>{error}</p>}
      <button
        type="button"
        className="button button-primary"
        disabled={state !== 'idle'}
        onClick={() => void putBack()}
      >
        Put these items back and try again
      </button>
    </div>
  );
}

function Receipt({ order, summary }: { order: OrderView; summary: OrderSummary | undefined }) {
  const { shippingAddress: address } = order;
  return (
    <section className="receipt" aria-labelledby="receipt-title">
      <h2 id="receipt-title">{order.status === 'approved' ? 'Receipt' : 'Order details'}</h2>
      <OrderBreakdown lines={order.lines} totals={order.totals} option={order.shippingOption} />
      <div className="review-details">
        <div>
          <h3>Deliver to</h3>
          <AddressSummary address={address} />
        </div>
        <div>
          <h3>Payment</h3>
          <p data-testid="payment-method">{paymentLabel(order, summary)}</p>
          <p className="muted">Placed {formatWhen(order.placedAt)}</p>
        </div>
      </div>
    </section>
  );
}

function paymentLabel(order: OrderView, summary: OrderSummary | undefined): string {
  if (order.payment.method === 'counter') {
    const paid = summary?.payment?.state === 'completed' || summary?.payment?.state === 'captured';
    return paid ? 'Paid at a counter service' : 'Pay at a counter service';
  }
  const card = summary?.payment?.card;
  const brand = order.payment.brand ?? card?.brand;
  const last4 = order.payment.last4 ?? card?.last4;
  return brand && last4 ? `${brand} ending in ${last4}` : 'Card';
}
