import { useEffect, useState, type SyntheticEvent } from 'react';
import { SORT_ORDERS, type FacetValue, type SearchProductsResult, type SortOrder } from '@talad/contracts-catalog';
import { searchProducts } from '../api/client.ts';
import { ProductCard } from '../components/product-card.tsx';
import { ErrorNotice, Loading } from '../components/status.tsx';
import { bahtToSatang } from '../money.ts';
import { Link, navigate, useRoute } from '../router.tsx';

const SORT_LABELS: Record<SortOrder, string> = {
  relevance: 'Best match',
  price_asc: 'Price: low to high',
  price_desc: 'Price: high to low',
  newest: 'Newest',
};
const PAGE_SIZE = 24;
const SUGGESTIONS = ['sneakers', 'nmd', 'headphones', 'watches', 'dresses'];

/** The URL is the search: every filter lives in the query string, so results can be shared and go back. */
function withParams(query: URLSearchParams, changes: Record<string, string | undefined>): string {
  const next = new URLSearchParams(query);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === '') next.delete(name);
    else next.set(name, value);
  }
  if (!('page' in changes)) next.delete('page');
  const text = next.toString();
  return text ? `/?${text}` : '/';
}

export function SearchPage() {
  const { query } = useRoute();
  const q = query.get('q') ?? '';
  const category = query.get('category') ?? undefined;
  const brand = query.get('brand') ?? undefined;
  const min = query.get('min') ?? '';
  const max = query.get('max') ?? '';
  const sortParam = query.get('sort');
  const sort = SORT_ORDERS.find((order) => order === sortParam) ?? 'relevance';
  const page = Math.max(1, Math.min(1000, Number(query.get('page')) || 1));
  const key = query.toString();

  const [result, setResult] = useState<SearchProductsResult>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    setError(undefined);
    const minPrice = bahtToSatang(min);
    const maxPrice = bahtToSatang(max);
    searchProducts(
      {
        ...(q ? { q } : {}),
        ...(category ? { category } : {}),
        ...(brand ? { brand } : {}),
        ...(minPrice !== undefined ? { minPrice } : {}),
        ...(maxPrice !== undefined ? { maxPrice } : {}),
        sort,
        page,
        pageSize: PAGE_SIZE,
      },
      abort.signal,
    )
      .then((answer) => {
        setResult(answer);
        setLoading(false);
      })
      .catch((failure: unknown) => {
        if (abort.signal.aborted) return;
        setError(failure);
        setLoading(false);
      });
    return () => abort.abort();
    // `key` (the whole query string) stands for every parameter read above.
  }, [key, attempt]);

  const pages = result ? Math.max(1, Math.ceil(result.total / PAGE_SIZE)) : 1;
  const heading = q ? `Results for “${q}”` : category ? category : 'All products';

  return (
    <div className="search-page">
      <div className="search-heading">
        <h1>{heading}</h1>
        {result && !loading && (
          <p className="muted" role="status">
            {result.total.toLocaleString('en-US')} product{result.total === 1 ? '' : 's'}
          </p>
        )}
        <label className="sort">
          Sort by{' '}
          <select value={sort} onChange={(event) => navigate(withParams(query, { sort: event.target.value }))}>
            {SORT_ORDERS.map((order) => (
              <option key={order} value={order}>
                {SORT_LABELS[order]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="search-layout">
        <details className="filters" open={typeof window !== 'undefined' && window.innerWidth > 760}>
          <summary>Filters</summary>
          <Facet
            title="Category"
            values={result?.facets.categories ?? []}
            selected={category}
            hrefOf={(value) => withParams(query, { category: value })}
          />
          <Facet
            title="Brand"
            values={result?.facets.brands ?? []}
            selected={brand}
            hrefOf={(value) => withParams(query, { brand: value })}
          />
          <PriceFilter min={min} max={max} onApply={(range) => navigate(withParams(query, range))} />
        </details>
        <section aria-label="Search results" aria-busy={loading} className="results">
          {error !== undefined ? (
            <ErrorNotice error={error} onRetry={() => setAttempt((count) => count + 1)} />
          ) : loading && !result ? (
            <Loading label="Finding products…" />
          ) : result && result.items.length === 0 ? (
            <NoResults q={q} filtered={Boolean(category ?? brand ?? (min || max))} />
          ) : (
            <>
              {loading && <Loading label="Updating…" />}
              <ul className="product-grid" data-testid="results">
                {result?.items.map((product) => (
                  <ProductCard key={product.id} product={product} />
                ))}
              </ul>
              {pages > 1 && (
                <nav className="pager" aria-label="Pages">
                  {page > 1 ? (
                    <Link href={withParams(query, { page: String(page - 1) })} rel="prev">
                      ← Previous
                    </Link>
                  ) : (
                    <span />
                  )}
                  <span>
                    Page {page} of {pages}
                  </span>
                  {page < pages ? (
                    <Link href={withParams(query, { page: String(page + 1) })} rel="next">
                      Next →
                    </Link>
                  ) : (
                    <span />
                  )}
                </nav>
              )}
            </>
          )}
        </section>
      </div>
    </div>
  );
}

function Facet(props: {
  title: string;
  values: readonly FacetValue[];
  selected: string | undefined;
  hrefOf: (value: string | undefined) => string;
}) {
  if (props.values.length === 0 && !props.selected) return null;
  return (
    <fieldset className="facet">
      <legend>{props.title}</legend>
      <ul>
        {props.selected && (
          <li>
            <Link href={props.hrefOf(undefined)} className="facet-clear">
              All {props.title.toLowerCase()}s
            </Link>
          </li>
        )}
        {props.values.slice(0, 12).map((facet) => (
          <li key={facet.value}>
            <Link
              href={props.hrefOf(facet.value)}
              aria-current={facet.value === props.selected ? 'true' : undefined}
              className={facet.value === props.selected ? 'facet-selected' : undefined}
            >
              {facet.value} <span className="muted">({facet.count})</span>
            </Link>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

function PriceFilter(props: { min: string; max: string; onApply: (range: { min?: string; max?: string }) => void }) {
  const [min, setMin] = useState(props.min);
  const [max, setMax] = useState(props.max);
  useEffect(() => {
    setMin(props.min);
    setMax(props.max);
  }, [props.min, props.max]);
  const apply = (event: SyntheticEvent): void => {
    event.preventDefault();
    props.onApply({ min: min.trim() || undefined, max: max.trim() || undefined });
  };
  return (
    <form className="facet price-filter" onSubmit={apply}>
      <fieldset>
        <legend>Price (฿)</legend>
        <label>
          From
          <input inputMode="decimal" value={min} onChange={(event) => setMin(event.target.value)} placeholder="0" />
        </label>
        <label>
          To
          <input inputMode="decimal" value={max} onChange={(event) => setMax(event.target.value)} placeholder="Any" />
        </label>
        <button type="submit" className="button button-secondary">
          Apply
        </button>
      </fieldset>
    </form>
  );
}

function NoResults({ q, filtered }: { q: string; filtered: boolean }) {
  return (
    <div className="empty" role="status">
      <h2>No products match{q ? ` “${q}”` : ''}</h2>
      <p>Check the spelling, try fewer or more general words{filtered ? ', or remove a filter' : ''}.</p>
      {filtered && q && <Link href={`/?q=${encodeURIComponent(q)}`}>Search “{q}” without filters</Link>}
      <p>Popular searches:</p>
      <ul className="suggestions">
        {SUGGESTIONS.map((suggestion) => (
          <li key={suggestion}>
            <Link href={`/?q=${encodeURIComponent(suggestion)}`}>{suggestion}</Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
