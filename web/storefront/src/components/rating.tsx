import type { Product } from '@talad/contracts-catalog';

const count = new Intl.NumberFormat('en-US');

export function Rating({ product }: { product: Pick<Product, 'rating' | 'ratingCount'> }) {
  if (product.rating === null) return <span className="rating rating-none">No reviews yet</span>;
  return (
    <span
      className="rating"
      aria-label={`Rated ${product.rating.toFixed(1)} out of 5 by ${count.format(product.ratingCount)} people`}
    >
      <span aria-hidden="true">★ {product.rating.toFixed(1)}</span>{' '}
      <span className="muted" aria-hidden="true">
        ({count.format(product.ratingCount)})
      </span>
    </span>
  );
}
