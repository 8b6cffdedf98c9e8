import { useEffect, useState, type SyntheticEvent } from 'react';
import { useBasket } from '../basket-store.ts';
import { Link, navigate, useRoute } from '../router.tsx';
import { session, useSignedIn } from '../session.ts';
import { signOut } from '../api/client.ts';

export function Header() {
  const route = useRoute();
  const urlQuery = route.path === '/' ? (route.query.get('q') ?? '') : '';
  const [query, setQuery] = useState(urlQuery);
  useEffect(() => setQuery(urlQuery), [urlQuery]);
  const { basket } = useBasket();
  const signedIn = useSignedIn();
  const count = basket?.itemCount ?? 0;

  const search = (event: SyntheticEvent): void => {
    event.preventDefault();
    const q = query.trim();
    navigate(q ? `/?q=${encodeURIComponent(q)}` : '/');
  };
  const leave = (): void => {
    const refreshToken = session.tokens()?.refreshToken;
    session.signOut();
    if (refreshToken) void signOut(refreshToken).catch(() => undefined);
    navigate('/');
  };

  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link href="/" className="logo" aria-label="Talad home">
          Talad
        </Link>
        <form role="search" className="search-form" onSubmit={search}>
          <label htmlFor="search" className="visually-hidden">
            Search products
          </label>
          <input
            id="search"
            type="search"
            name="q"
            placeholder="Search sneakers, phones, books…"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            autoComplete="off"
          />
          <button type="submit" className="button">
            Search
          </button>
        </form>
        <nav aria-label="Account and basket" className="site-nav">
          {signedIn ? (
            <>
              <Link href="/orders">My orders</Link>
              <button type="button" className="link-button" onClick={leave}>
                Sign out
              </button>
            </>
          ) : (
            <Link href={`/sign-in?next=${encodeURIComponent(route.path)}`}>Sign in</Link>
          )}
          <Link href="/basket" className="basket-link" aria-label={`Basket, ${count} item${count === 1 ? '' : 's'}`}>
            Basket{' '}
            <span className="basket-count" data-testid="basket-count">
              {count}
            </span>
          </Link>
        </nav>
      </div>
    </header>
  );
}
