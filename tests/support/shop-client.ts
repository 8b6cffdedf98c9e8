/**
 * A customer of the shop, as tests and benchmarks drive it: everything through the gateway, the card
 * through the provider simulator (the browser's path), nothing by a side door.
 */
import { randomUUID } from 'node:crypto';

export const TEST_CARDS = {
  success: '4242424242424242',
  declined: '4000000000000002',
  insufficientFunds: '4000000000009995',
  processingError: '4000000000000119',
  slow: '4000000000000259',
} as const;
export type TestCard = keyof typeof TEST_CARDS;

export const TEST_ADDRESS = {
  name: 'Somchai Jaidee',
  phone: '0812345678',
  line1: '99/1 Sukhumvit Road',
  subdistrict: 'Khlong Toei Nuea',
  district: 'Watthana',
  province: 'Bangkok',
  postalCode: '10110',
} as const;

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = unknown>(
  url: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers['authorization'] = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

export interface Customer {
  readonly id: string;
  readonly email: string;
  readonly token: string;
}

/** Signs a new customer up and in. */
export async function newCustomer(gatewayUrl: string, label = 'buyer'): Promise<Customer> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.test`;
  const password = 'Sneakers-2026';
  const signUp = await call(`${gatewayUrl}/api/identity/sign-up`, {
    method: 'POST',
    body: { email, password, name: 'Test Buyer' },
  });
  if (signUp.status !== 201) throw new Error(`sign-up answered ${signUp.status}: ${JSON.stringify(signUp.body)}`);
  const signIn = await call<{ access_token: string }>(`${gatewayUrl}/api/identity/sign-in`, {
    method: 'POST',
    body: { email, password },
  });
  if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}: ${JSON.stringify(signIn.body)}`);
  const token = signIn.body.access_token;
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string };
  return { id: payload.sub, email, token };
}

/** The browser's step: the card goes to the provider, Talad only ever sees the token. */
export async function tokenizeCard(providerUrl: string, card: TestCard): Promise<string> {
  const answer = await call<{ token: string }>(`${providerUrl}/v1/tokens`, {
    method: 'POST',
    body: { number: TEST_CARDS[card], expMonth: 12, expYear: new Date().getFullYear() + 3, cvc: '123' },
  });
  if (answer.status !== 201 && answer.status !== 200) {
    throw new Error(`tokenizing answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body.token;
}

export interface ProductSummary {
  id: string;
  sku: string;
  name: string;
  sizes: string[];
  price: { amount: number; currency: 'THB' };
}

export async function searchProducts(gatewayUrl: string, query: string, pageSize = 24): Promise<ProductSummary[]> {
  const answer = await call<{ items: ProductSummary[] }>(
    `${gatewayUrl}/api/catalog/products?q=${encodeURIComponent(query)}&pageSize=${pageSize}`,
  );
  if (answer.status !== 200) throw new Error(`search answered ${answer.status}`);
  return answer.body.items;
}

export async function availableStock(gatewayUrl: string, productIds: readonly string[]): Promise<Map<string, number>> {
  const query = productIds.map((id) => `productId=${id}`).join('&');
  const answer = await call<{ items: Array<{ productId: string; available: number }> }>(
    `${gatewayUrl}/api/inventory/stock?${query}`,
  );
  if (answer.status !== 200) throw new Error(`stock answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return new Map(answer.body.items.map((item) => [item.productId, item.available]));
}

export interface OrderLineRequest {
  productId: string;
  size?: string;
  quantity: number;
}

export async function placeOrder(
  gatewayUrl: string,
  customer: Customer,
  order: {
    lines: OrderLineRequest[];
    /** The card's token at the provider; without one the order is paid at a counter (a pay slip). */
    cardToken?: string;
    idempotencyKey?: string;
    shippingOption?: 'standard' | 'express';
  },
): Promise<HttpAnswer<{ orderId: string; status: string; code?: string }>> {
  return call(`${gatewayUrl}/api/orders`, {
    method: 'POST',
    token: customer.token,
    headers: { 'idempotency-key': order.idempotencyKey ?? randomUUID() },
    body: {
      lines: order.lines,
      shippingAddress: TEST_ADDRESS,
      shippingOption: order.shippingOption ?? 'standard',
      paymentMethod: order.cardToken ? { type: 'card', cardToken: order.cardToken } : { type: 'counter' },
    },
  });
}

export interface OrderView {
  id: string;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  rejectionReason: string | null;
  totals: { subtotal: { amount: number }; shippingFee: { amount: number }; total: { amount: number } };
  checkout: { steps: Array<{ name: string; state: string }> };
  cancellation: { state: string; requestedBy: string; reason: string | null } | null;
}

/** Polls the order until it leaves `pending`, or fails after `timeoutMs`. */
export async function waitForOrderToEnd(
  gatewayUrl: string,
  customer: Customer,
  orderId: string,
  timeoutMs = 60_000,
): Promise<OrderView> {
  const deadline = Date.now() + timeoutMs;
  let last: HttpAnswer<OrderView> | undefined;
  while (Date.now() < deadline) {
    last = await call<OrderView>(`${gatewayUrl}/api/orders/${orderId}`, { token: customer.token });
    if (last.status === 200 && last.body.status !== 'pending') return last.body;
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  throw new Error(`order ${orderId} did not end in ${timeoutMs} ms; last answer ${JSON.stringify(last?.body)}`);
}
