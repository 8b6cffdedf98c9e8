/**
 * The gateway's routes the storefront uses, typed by the services' published contracts: request types
 * come from their zod schemas and every answer is parsed with them, so a changed contract breaks the
 * build (and a service answering off-contract shows an error instead of a broken page).
 */
import { z } from 'zod';
import { BasketSchema, type PutBasketItem } from '@talad/contracts-basket';
import { ProductSchema, SearchProductsResultSchema, type SearchProductsQueryInput } from '@talad/contracts-catalog';
import {
  AddressListSchema,
  AddressSchema,
  ProfileSchema,
  TokenResponseSchema,
  type AddressInput,
  type SignInRequest,
  type SignUpRequest,
} from '@talad/contracts-identity';
import { StockLevelListSchema } from '@talad/contracts-inventory';
import { OrderHistoryPageSchema, OrderSummarySchema } from '@talad/contracts-order-history';
import { OrderViewSchema, PlaceOrderResponseSchema, type PlaceOrderRequest } from '@talad/contracts-ordering';
import { QuoteSchema } from '@talad/contracts-shipping';
import { apiRequest } from './http.ts';

const NoContent = z.unknown();

export function searchProducts(query: SearchProductsQueryInput, signal?: AbortSignal) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query) as Array<[string, string | number | undefined]>) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  return apiRequest(SearchProductsResultSchema, `/api/catalog/products?${params.toString()}`, signal ? { signal } : {});
}

export function getProduct(id: string) {
  return apiRequest(ProductSchema, `/api/catalog/products/${encodeURIComponent(id)}`);
}

export function getStockLevels(productIds: readonly string[]) {
  const params = new URLSearchParams(productIds.map((id) => ['productId', id]));
  return apiRequest(StockLevelListSchema, `/api/inventory/stock?${params.toString()}`);
}

export function getBasket() {
  return apiRequest(BasketSchema, '/api/basket', { auth: true });
}

export function putBasketItem(productId: string, item: PutBasketItem) {
  return apiRequest(BasketSchema, `/api/basket/items/${encodeURIComponent(productId)}`, {
    method: 'PUT',
    body: item,
    auth: true,
  });
}

export function removeBasketItem(productId: string) {
  return apiRequest(BasketSchema, `/api/basket/items/${encodeURIComponent(productId)}`, {
    method: 'DELETE',
    auth: true,
  });
}

export function getShippingQuote(subtotal: number) {
  return apiRequest(QuoteSchema, `/api/shipping/quote?subtotal=${subtotal}`);
}

export function signUp(account: SignUpRequest) {
  return apiRequest(ProfileSchema, '/api/identity/sign-up', { method: 'POST', body: account });
}

export function signIn(credentials: SignInRequest) {
  return apiRequest(TokenResponseSchema, '/api/identity/sign-in', { method: 'POST', body: credentials });
}

export function signOut(refreshToken: string) {
  return apiRequest(NoContent, '/api/identity/sign-out', { method: 'POST', body: { refresh_token: refreshToken } });
}

export function getProfile() {
  return apiRequest(ProfileSchema, '/api/identity/me', { auth: true });
}

export function getAddresses() {
  return apiRequest(AddressListSchema, '/api/identity/me/addresses', { auth: true });
}

export function saveAddress(address: AddressInput) {
  return apiRequest(AddressSchema, '/api/identity/me/addresses', { method: 'POST', body: address, auth: true });
}

/** The same `idempotencyKey` on every retry of one order, so a double click or a retry places it once. */
export function placeOrder(order: PlaceOrderRequest, idempotencyKey: string) {
  return apiRequest(PlaceOrderResponseSchema, '/api/orders', {
    method: 'POST',
    body: order,
    headers: { 'idempotency-key': idempotencyKey },
    auth: true,
  });
}

export function getOrder(id: string, signal?: AbortSignal) {
  return apiRequest(OrderViewSchema, `/api/orders/${encodeURIComponent(id)}`, {
    auth: true,
    ...(signal ? { signal } : {}),
  });
}

/** 202 while the cancellation runs; 409 (with a `detail` saying why) once it is too late. */
export function cancelOrder(id: string) {
  return apiRequest(PlaceOrderResponseSchema, `/api/orders/${encodeURIComponent(id)}/cancel`, {
    method: 'POST',
    auth: true,
  });
}

/** "My orders", newest first, from the order-history read model. */
export function listMyOrders(page: number, pageSize: number, signal?: AbortSignal) {
  return apiRequest(OrderHistoryPageSchema, `/api/order-history?page=${page}&pageSize=${pageSize}`, {
    auth: true,
    ...(signal ? { signal } : {}),
  });
}

/** One order as "my orders" knows it: lines, totals, payment (receipt or pay slip), shipment and timeline. */
export function getOrderSummary(id: string, signal?: AbortSignal) {
  return apiRequest(OrderSummarySchema, `/api/order-history/${encodeURIComponent(id)}`, {
    auth: true,
    // Right after placing, the order's events may still be on their way to the read model: wait for them
    // there rather than take a 404.
    headers: { prefer: 'wait=3' },
    ...(signal ? { signal } : {}),
  });
}
