import { ProductDeleted, ProductUpdated } from '@talad/contracts-catalog';
import { OrderPlaced } from '@talad/contracts-ordering';
import { assertNever, type Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import { emptyBasket, markProductGone, refreshProduct } from './basket-repository.ts';

/**
 * What the basket follows: catalog's product changes (new name, image or price; deleted products become
 * unavailable) and placed orders (the customer's basket is emptied). Each runs once per message, in
 * the transaction that records it in the inbox; catalog's events for one product arrive in order.
 */
export function subscribeBasketEvents(messaging: Messaging, clock: Clock): void {
  messaging.subscribe({
    messages: [ProductUpdated, ProductDeleted],
    handler: async (message, tx) => {
      switch (message.type) {
        case 'catalog.ProductUpdated.v1':
          await refreshProduct(tx, message.data.product);
          return;
        case 'catalog.ProductDeleted.v1':
          await markProductGone(tx, message.data.productId);
          return;
        default:
          assertNever(message);
      }
    },
  });

  messaging.subscribe({
    messages: [OrderPlaced],
    handler: async (message, tx) => {
      await emptyBasket(tx, message.data.customerId, clock.now());
    },
  });
}
