import type { StockLevel } from '@talad/contracts-inventory';

export function StockBadge({ level }: { level: StockLevel }) {
  switch (level.status) {
    case 'in_stock':
      return <span className="badge badge-ok">In stock</span>;
    case 'few_left':
      return <span className="badge badge-warn">Only {level.available} left</span>;
    case 'sold_out':
      return <span className="badge badge-out">Sold out</span>;
  }
}
