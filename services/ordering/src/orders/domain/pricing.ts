import { DomainError } from '@talad/core';
import type { ShippingOption } from '@talad/contracts-common';
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES, type OrderLine, type OrderTotals } from '@talad/contracts-ordering';
import type { ShippingRate } from '@talad/contracts-shipping';
import { OrderingErrorCode } from '../../error-codes.ts';

/** What ordering's replica knows of a product: enough to price a line and check its size. */
export interface PricedProduct {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly priceAmount: number;
  readonly sizes: readonly string[];
}

export interface RequestedLine {
  readonly productId: string;
  readonly size?: string | undefined;
  readonly quantity: number;
}

export interface PricingInput {
  readonly lines: readonly RequestedLine[];
  /** The replica's products for the requested ids (a missing id is an unknown product). */
  readonly products: ReadonlyMap<string, PricedProduct>;
  readonly rates: readonly ShippingRate[];
  readonly shippingOption: ShippingOption;
}

/**
 * Prices an order from ordering's own copies of catalog prices and shipping rates: each line at the
 * product's current price, the subtotal, the shipping fee (free from the rate's threshold) and the
 * total, all in satang. Refuses bad lines with the code that names what is wrong, and the line's index.
 */
export function priceOrder(input: PricingInput): { lines: OrderLine[]; totals: OrderTotals } {
  if (input.lines.length === 0) {
    throw new DomainError('invalid', OrderingErrorCode.EmptyOrder, 'an order needs at least one line');
  }
  if (input.lines.length > MAX_ORDER_LINES) {
    throw new DomainError(
      'invalid',
      OrderingErrorCode.TooManyLines,
      `an order has at most ${MAX_ORDER_LINES} lines, this one has ${input.lines.length}`,
    );
  }
  const seen = new Set<string>();
  const lines = input.lines.map((line, index): OrderLine => {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY) {
      throw new DomainError(
        'invalid',
        OrderingErrorCode.InvalidQuantity,
        `lines[${index}]: quantity must be a whole number from 1 to ${MAX_LINE_QUANTITY}`,
        { line: index },
      );
    }
    const product = input.products.get(line.productId);
    if (!product) {
      throw new DomainError(
        'unprocessable',
        OrderingErrorCode.UnknownProduct,
        `lines[${index}]: there is no product ${line.productId}`,
        { line: index, productId: line.productId },
      );
    }
    const size = checkedSize(product, line.size, index);
    const key = `${product.id}/${size ?? ''}`;
    if (seen.has(key)) {
      throw new DomainError(
        'invalid',
        OrderingErrorCode.DuplicateLine,
        `lines[${index}]: the same product${size ? ` in size ${size}` : ''} is on an earlier line; change its quantity instead`,
        { line: index },
      );
    }
    seen.add(key);
    return {
      productId: product.id,
      sku: product.sku,
      name: product.name,
      size,
      quantity: line.quantity,
      unitPrice: { amount: product.priceAmount, currency: 'THB' },
      lineTotal: { amount: product.priceAmount * line.quantity, currency: 'THB' },
    };
  });
  const subtotal = lines.reduce((sum, line) => sum + line.lineTotal.amount, 0);
  const shippingFee = shippingFeeFor(input.rates, input.shippingOption, subtotal);
  return {
    lines,
    totals: {
      subtotal: { amount: subtotal, currency: 'THB' },
      shippingFee: { amount: shippingFee, currency: 'THB' },
      total: { amount: subtotal + shippingFee, currency: 'THB' },
    },
  };
}

/** The fee of `option` for an order of `subtotal` satang: free from the rate's threshold, when it has one. */
export function shippingFeeFor(rates: readonly ShippingRate[], option: ShippingOption, subtotal: number): number {
  const rate = rates.find((candidate) => candidate.option === option);
  if (!rate) {
    throw new DomainError(
      'unavailable',
      OrderingErrorCode.ShippingRatesUnavailable,
      `the ${option} shipping rate is not known yet; try again shortly`,
    );
  }
  if (rate.freeFrom && subtotal >= rate.freeFrom.amount) return 0;
  return rate.fee.amount;
}

function checkedSize(product: PricedProduct, size: string | undefined, index: number): string | null {
  if (size === undefined) {
    if (product.sizes.length === 0) return null;
    throw new DomainError(
      'unprocessable',
      OrderingErrorCode.SizeRequired,
      `lines[${index}]: ${product.name} comes in sizes ${product.sizes.join(', ')}; choose one`,
      { line: index, sizes: [...product.sizes] },
    );
  }
  if (!product.sizes.includes(size)) {
    throw new DomainError(
      'unprocessable',
      OrderingErrorCode.InvalidSize,
      product.sizes.length === 0
        ? `lines[${index}]: ${product.name} has no sizes`
        : `lines[${index}]: ${product.name} does not come in size ${size} (sizes: ${product.sizes.join(', ')})`,
      { line: index, sizes: [...product.sizes] },
    );
  }
  return size;
}
