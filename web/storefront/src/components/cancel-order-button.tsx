import { useState } from 'react';
import { cancelOrder } from '../api/client.ts';
import { ApiError, messageOf } from '../api/http.ts';

/**
 * Asks first, then asks ordering to cancel: 202 means the cancellation is running (the page follows it
 * to the end); a refusal (409 once the parcel has left) is shown with ordering's own reason.
 */
export function CancelOrderButton({ orderId, onCancelling }: { orderId: string; onCancelling: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ tooLate: boolean; message: string }>();
  const cancel = async (): Promise<void> => {
    if (!window.confirm('Cancel this order? Anything paid is given back.')) return;
    setBusy(true);
    setError(undefined);
    try {
      await cancelOrder(orderId);
      onCancelling();
    } catch (failure) {
      setError({ tooLate: failure instanceof ApiError && failure.status === 409, message: messageOf(failure) });
      setBusy(false);
    }
  };
  return (
    <div className="cancel-order">
      <button type="button" className="button button-danger" disabled={busy} onClick={() => void cancel()}>
        {busy ? 'Cancelling…' : 'Cancel order'}
      </button>
      {error && (
        <div className="notice notice-error" role="alert" data-testid="cancel-error">
          {error.tooLate && <p>It is too late to cancel this order.</p>}
          <p>{error.message}</p>
        </div>
      )}
    </div>
  );
}
