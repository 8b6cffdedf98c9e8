import type { Product } from '@talad/contracts-catalog';
import { Link } from '../router.tsx';
import { Price } from './price.tsx';
import { Rating } from './rating.tsx';

export function ProductCard({ product }: { product: Product }) {
  return (
    <li className="product-card">
      <Link href={`/products/${product.id}`} className="product-card-link">
        <img src={product.imageUrl} alt="" width="240" height="240" loading="lazy" />
        <span className="product-card-brand">{product.brand}</span>
        <span className="product-card-name">{product.name}</span>
      </Link>
      <Price money={product.price} />
      <Rating product={product} />
    </li>
  );
}
