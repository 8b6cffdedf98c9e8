import type { Money } from '@talad/contracts-common';
import { formatMoney } from '../money.ts';

export function Price({ money, className = 'price' }: { money: Money; className?: string }) {
  return <span className={className}>{formatMoney(money)}</span>;
}
