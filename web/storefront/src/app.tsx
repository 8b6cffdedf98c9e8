import { useEffect, useRef, type ReactNode } from 'react';
import { Header } from './components/header.tsx';
import { BasketPage } from './pages/basket-page.tsx';
import { CheckoutPage } from './pages/checkout-page.tsx';
import { MyOrdersPage } from './pages/my-orders-page.tsx';
import { OrderPage } from './pages/order-page.tsx';
import { ProductPage } from './pages/product-page.tsx';
import { SearchPage } from './pages/search-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { Link, useRoute } from './router.tsx';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

function pageFor(path: string): { title: string; page: ReactNode } {
  const product = new RegExp(`^/products/(${UUID})$`, 'i').exec(path);
  if (product?.[1]) return { title: 'Product', page: <ProductPage key={product[1]} id={product[1]} /> };
  const order = new RegExp(`^/orders/(${UUID})$`, 'i').exec(path);
  if (order?.[1]) return { title: 'Your order', page: <OrderPage key={order[1]} id={order[1]} /> };
  switch (path) {
    case '/':
      return { title: 'Shop', page: <SearchPage /> };
    case '/basket':
      return { title: 'Basket', page: <BasketPage /> };
    case '/orders':
      return { title: 'My orders', page: <MyOrdersPage /> };
    case '/checkout':
      return { title: 'Checkout', page: <CheckoutPage /> };
    case '/sign-in':
      return { title: 'Sign in', page: <SignInPage /> };
    default:
      return {
        title: 'Page not found',
        page: (
          <div className="empty">
            <h1>We could not find that page</h1>
            <Link href="/">Back to the shop</Link>
          </div>
        ),
      };
  }
}

export function App() {
  const { path } = useRoute();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const { title, page } = pageFor(path);

  useEffect(() => {
    document.title = `${title} · Talad`;
    // A new page: screen readers and keyboards start at its content, not at the link just followed.
    if (first.current) first.current = false;
    else main.current?.focus({ preventScroll: true });
  }, [path, title]);

  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Header />
      <main id="main" ref={main} tabIndex={-1}>
        {page}
      </main>
      <footer className="site-footer">
        <p>Talad · prices in Thai baht, VAT included · delivery across Thailand</p>
      </footer>
    </>
  );
}
