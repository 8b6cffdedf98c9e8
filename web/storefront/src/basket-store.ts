/**
 * The basket the header, the product page, the basket page and checkout share: the customer's basket
 * at basket's API once signed in, the guest basket before. Every change answers the new basket.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { Product } from '@talad/contracts-catalog';
import { getBasket, putBasketItem, removeBasketItem } from './api/client.ts';
import {
  addedQuantity,
  loadGuestLines,
  saveGuestLines,
  viewOf,
  withLine,
  withoutLine,
  withQuantity,
  type BasketView,
} from './guest-basket.ts';
import { session } from './session.ts';

export interface BasketState {
  basket: BasketView | undefined;
  loading: boolean;
  error: unknown;
}

let state: BasketState = { basket: undefined, loading: false, error: undefined };
const listeners = new Set<() => void>();

function set(next: Partial<BasketState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const signedIn = (): boolean => session.tokens() !== undefined;

export async function reloadBasket(): Promise<void> {
  if (!signedIn()) return set({ basket: viewOf(loadGuestLines()), loading: false, error: undefined });
  set({ loading: true });
  try {
    set({ basket: await getBasket(), loading: false, error: undefined });
  } catch (error) {
    set({ loading: false, error });
  }
}

export async function addToBasket(product: Product, size: string | null, quantity: number): Promise<void> {
  const lines = state.basket?.lines ?? [];
  const total = addedQuantity(lines, product.id, size, quantity);
  if (!signedIn()) {
    const next = withLine(loadGuestLines(), product, size, total);
    saveGuestLines(next);
    return set({ basket: viewOf(next) });
  }
  set({ basket: await putBasketItem(product.id, { quantity: total, ...(size ? { size } : {}) }) });
}

export async function changeQuantity(productId: string, size: string | null, quantity: number): Promise<void> {
  if (!signedIn()) {
    const next = withQuantity(loadGuestLines(), productId, quantity);
    saveGuestLines(next);
    return set({ basket: viewOf(next) });
  }
  set({ basket: await putBasketItem(productId, { quantity, ...(size ? { size } : {}) }) });
}

export async function removeFromBasket(productId: string): Promise<void> {
  if (!signedIn()) {
    const next = withoutLine(loadGuestLines(), productId);
    saveGuestLines(next);
    return set({ basket: viewOf(next) });
  }
  set({ basket: await removeBasketItem(productId) });
}

let syncing: Promise<void> | undefined;

/**
 * Brings the basket in line with the session: after signing in, the guest's lines join the customer's
 * basket first and only then is the customer's basket shown, so checkout never flashes an empty basket
 * (and never loses what was typed into it) in between. Calls while one runs share it.
 */
export function syncBasketWithSession(): Promise<void> {
  syncing ??= (async () => {
    try {
      const guest = signedIn() ? loadGuestLines() : [];
      for (const line of guest) {
        await putBasketItem(line.productId, { quantity: line.quantity, ...(line.size ? { size: line.size } : {}) });
      }
      if (guest.length > 0) saveGuestLines([]);
      await reloadBasket();
    } finally {
      syncing = undefined;
    }
  })();
  return syncing;
}

export function useBasket(): BasketState {
  const current = useSyncExternalStore(subscribe, () => state);
  useEffect(() => {
    if (state.basket === undefined && !state.loading) void reloadBasket();
  }, []);
  return current;
}

session.subscribe(() => void syncBasketWithSession().catch((error: unknown) => set({ error })));
