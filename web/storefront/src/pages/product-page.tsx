import { useEffect, useState, type SyntheticEvent } from 'react';
import { MAX_BASKET_QUANTITY } from '@talad/contracts-basket';
import type { Product } from '@talad/contracts-catalog';
import type { StockLevel } from '@talad/contracts-inventory';
import { getProduct, getStockLevels } from '../api/client.ts';
import { ApiError, messageOf } from '../api/http.ts';
import { addToBasket } from '../basket-store.ts';
import { Price } from '../components/price.tsx';
import { Rating } from '../components/rating.tsx';
import { ErrorNotice, Loading } from '../components/status.tsx';
import { StockBadge } from '../components/stock-badge.tsx';
import { Link } from '../router.tsx';

export function ProductPage({ id }: { id: string }) {
  const [product, setProduct] = useState<Product>();
  const [stock, setStock] = useState<StockLevel>();
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setError(undefined);
    getProduct(id)
      .then((found) => current && setProduct(found))
      .catch((failure: unknown) => current && setError(failure));
    // The badge is a nicety: without inventory the page still sells.
    getStockLevels([id])
      .then((levels) => current && setStock(levels.items[0]))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [id, attempt]);

  useEffect(() => {
    if (product) document.title = `${product.name} · Talad`;
  }, [product]);

  if (error !== undefined) {
    if (error instanceof ApiError && error.status === 404) {
      return (
        <div className="empty">
          <h1>This product is no longer sold</h1>
          <Link href="/">Find something else</Link>
        </div>
      );
    }
    return <ErrorNotice error={error} onRetry={() => setAttempt((count) => count + 1)} />;
  }
  if (!product) return <Loading label="Loading the product…" />;

  return (
    <article className="product-page">
      <div className="product-image">
        <img src={product.imageUrl} alt={product.name} width="480" height="480" />
      </div>
      <div className="product-info">
        <p className="product-brand">
          {product.brand} · {product.category}
        </p>
        <h1>{product.name}</h1>
        <Rating product={product} />
        <p className="product-price">
          <Price money={product.price} />
        </p>
        <p data-testid="stock">{stock && <StockBadge level={stock} />}</p>
        <AddToBasket product={product} stock={stock} />
        <h2 className="section-title">About this product</h2>
        <p className="product-description">{product.description}</p>
        <p className="muted">SKU {product.sku}</p>
      </div>
    </article>
  );
}

function AddToBasket({ product, stock }: { product: Product; stock: StockLevel | undefined }) {
  const [size, setSize] = useState<string>();
  const [quantity, setQuantity] = useState(1);
  const [sizeMissing, setSizeMissing] = useState(false);
  const [state, setState] = useState<'idle' | 'adding' | 'added'>('idle');
  const [error, setError] = useState<string>();
  const soldOut = stock?.status === 'sold_out';
  const most = Math.max(1, Math.min(MAX_BASKET_QUANTITY, stock?.available ?? MAX_BASKET_QUANTITY));

  const add = async (event: SyntheticEvent): Promise<void> => {
    event.preventDefault();
    if (product.sizes.length > 0 && size === undefined) return setSizeMissing(true);
    setState('adding');
    setError(undefined);
    try {
      await addToBasket(product, size ?? null, quantity);
      setState('added');
    } catch (failure) {
      setError(messageOf(failure));
      setState('idle');
    }
  };

  return (
    <form className="add-to-basket" onSubmit={(event) => void add(event)}>
      {product.sizes.length > 0 && (
        <fieldset className="sizes" aria-describedby={sizeMissing ? 'size-error' : undefined}>
          <legend>Size</legend>
          <div className="size-options">
            {product.sizes.map((option) => (
              <label key={option} className={option === size ? 'size size-chosen' : 'size'}>
                <input
                  type="radio"
                  name="size"
                  value={option}
                  checked={option === size}
                  onChange={() => {
                    setSize(option);
                    setSizeMissing(false);
                    setState('idle');
                  }}
                />
                <span>{option}</span>
              </label>
            ))}
          </div>
          {sizeMissing && (
            <p id="size-error" className="field-error" role="alert">
              Choose a size first.
            </p>
          )}
        </fieldset>
      )}
      <div className="add-row">
        <label className="quantity">
          Quantity
          <select
            value={quantity}
            onChange={(event) => {
              setQuantity(Number(event.target.value));
              setState('idle');
            }}
            disabled={soldOut}
          >
            {Array.from({ length: most }, (_, index) => index + 1).map((count) => (
              <option key={count} value={count}>
                {count}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button-primary" disabled={soldOut || state === 'adding'}>
          {soldOut ? 'Sold out' : state === 'adding' ? 'Adding…' : 'Add to basket'}
        </button>
      </div>
      <div aria-live="polite">
        {state === 'added' && (
          <p className="notice notice-ok" data-testid="added">
            Added to your basket. <Link href="/basket">View basket</Link> or <Link href="/checkout">check out</Link>
          </p>
        )}
        {error && (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </form>
  );
}
