import { useEffect, useState } from 'react';
import type { OrderHistoryPage } from '@talad/contracts-order-history';
import { listMyOrders } from '../api/client.ts';
import { Price } from '../components/price.tsx';
import { ErrorNotice, Loading } from '../components/status.tsx';
import { formatWhen, isFinal, STAGE_LABELS, STAGE_TONES } from '../order-timeline.ts';
import { Link, useRoute } from '../router.tsx';
import { useSignedIn } from '../session.ts';

const PAGE_SIZE = 10;
/** Orders still moving (paid at a counter, shipped) are asked about again this often while the page is open. */
const REFRESH_MS = 4_000;

/** "My orders": the signed-in person's orders, newest first, a page at a time (`?page=` in the URL). */
export function MyOrdersPage() {
  const signedIn = useSignedIn();
  const { query } = useRoute();
  const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);
  const [list, setList] = useState<OrderHistoryPage>();
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!signedIn) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      try {
        const answer = await listMyOrders(page, PAGE_SIZE, abort.signal);
        setList(answer);
        setError(undefined);
        if (answer.items.some((item) => !isFinal(item.stage))) timer = setTimeout(() => void load(), REFRESH_MS);
      } catch (failure) {
        if (abort.signal.aborted) return;
        setError(failure);
      }
    };
    void load();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [signedIn, page, attempt]);

  if (!signedIn) {
    return (
      <div className="empty">
        <h1>Sign in to see your orders</h1>
        <Link href={`/sign-in?next=${encodeURIComponent('/orders')}`}>Sign in</Link>
      </div>
    );
  }
  if (!list) {
    if (error !== undefined) return <ErrorNotice error={error} onRetry={() => setAttempt((count) => count + 1)} />;
    return <Loading label="Loading your orders…" />;
  }
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));

  return (
    <div className="my-orders">
      <h1>My orders</h1>
      {error !== undefined && <ErrorNotice error={error} />}
      {list.items.length === 0 ? (
        <div className="empty">
          <p>{page > 1 ? 'No orders on this page.' : 'You have not ordered anything yet.'}</p>
          <Link href="/">Find something you like</Link>
        </div>
      ) : (
        <ul className="order-list" data-testid="order-list">
          {list.items.map((item) => (
            <li key={item.orderId} className="order-row" data-order-id={item.orderId}>
              <Link href={`/orders/${item.orderId}`} className="order-row-link">
                <span className="order-row-date">{formatWhen(item.placedAt)}</span>
                <span className="order-row-number">
                  Order <span className="mono">{item.orderId.slice(0, 8)}</span>
                  <span className="visually-hidden"> ({item.orderId})</span>
                </span>
                <span className="muted">
                  {item.itemCount} item{item.itemCount === 1 ? '' : 's'}
                </span>
                <Price money={item.totals.total} />
                <span className={`badge badge-${STAGE_TONES[item.stage]}`} data-testid="order-stage">
                  {STAGE_LABELS[item.stage]}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav className="pager" aria-label="Pages">
          {page > 1 ? (
            <Link href={`/orders?page=${page - 1}`} rel="prev">
              ← Newer
            </Link>
          ) : (
            <span />
          )}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages ? (
            <Link href={`/orders?page=${page + 1}`} rel="next">
              Older →
            </Link>
          ) : (
            <span />
          )}
        </nav>
      )}
    </div>
  );
}
