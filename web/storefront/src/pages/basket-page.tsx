import { useState } from 'react';
import { MAX_BASKET_QUANTITY, type BasketLine } from '@talad/contracts-basket';
import { messageOf } from '../api/http.ts';
import { changeQuantity, reloadBasket, removeFromBasket, useBasket } from '../basket-store.ts';
import { Price } from '../components/price.tsx';
import { ErrorNotice, Loading } from '../components/status.tsx';
import { Link, navigate } from '../router.tsx';

export function BasketPage() {
  const { basket, error } = useBasket();
  if (error !== undefined && !basket) return <ErrorNotice error={error} onRetry={() => void reloadBasket()} />;
  if (!basket) return <Loading label="Loading your basket…" />;
  if (basket.lines.length === 0) {
    return (
      <div className="empty">
        <h1>Your basket is empty</h1>
        <p>
          <Link href="/">Start shopping</Link>
        </p>
      </div>
    );
  }
  const orderable = basket.lines.some((line) => line.available);
  return (
    <div className="basket-page">
      <h1>Your basket</h1>
      <ul className="basket-lines">
        {basket.lines.map((line) => (
          <BasketLineRow key={line.productId} line={line} />
        ))}
      </ul>
      <div className="basket-summary">
        <p className="subtotal">
          Subtotal ({basket.itemCount} item{basket.itemCount === 1 ? '' : 's'}){' '}
          <Price money={basket.subtotal} className="price price-large" />
        </p>
        <p className="muted">Shipping is calculated at checkout.</p>
        <button
          type="button"
          className="button button-primary"
          disabled={!orderable}
          onClick={() => navigate('/checkout')}
        >
          Check out
        </button>
      </div>
    </div>
  );
}

function BasketLineRow({ line }: { line: BasketLine }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className={line.available ? 'basket-line' : 'basket-line basket-line-gone'}>
      <img src={line.imageUrl} alt="" width="96" height="96" />
      <div className="basket-line-info">
        <Link href={`/products/${line.productId}`}>{line.name}</Link>
        {line.size && <span className="muted">Size {line.size}</span>}
        <span className="muted">
          <Price money={line.unitPrice} /> each
        </span>
        {!line.available && <span className="badge badge-out">No longer available</span>}
        {error && (
          <span className="field-error" role="alert">
            {error}
          </span>
        )}
      </div>
      <label className="quantity">
        <span className="visually-hidden">Quantity of {line.name}</span>
        <select
          value={line.quantity}
          disabled={busy || !line.available}
          onChange={(event) => void run(() => changeQuantity(line.productId, line.size, Number(event.target.value)))}
        >
          {Array.from({ length: Math.max(MAX_BASKET_QUANTITY, line.quantity) }, (_, index) => index + 1).map(
            (count) => (
              <option key={count} value={count}>
                {count}
              </option>
            ),
          )}
        </select>
      </label>
      <Price money={line.lineTotal} className="price line-total" />
      <button
        type="button"
        className="link-button"
        disabled={busy}
        onClick={() => void run(() => removeFromBasket(line.productId))}
        aria-label={`Remove ${line.name}`}
      >
        Remove
      </button>
    </li>
  );
}
