import { ProductCreated, ProductDeleted } from '@talad/contracts-catalog';
import { assertNever, type Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import { addProduct, discontinueProduct } from './stock-store.ts';

/**
 * Keeps the products inventory stocks in step with the catalog: a new product gets its seeded stock,
 * a deleted one can no longer be reserved. Each runs once per event, in the transaction that records
 * it in the inbox; one product's events arrive in order (they are keyed by product id).
 */
export function subscribeCatalogEvents(messaging: Messaging, clock: Clock): void {
  messaging.subscribe({
    messages: [ProductCreated, ProductDeleted],
    handler: async (event, tx) => {
      switch (event.type) {
        case 'catalog.ProductCreated.v1':
          await addProduct(tx, messaging, event.data.product.id, clock.now());
          return;
        case 'catalog.ProductDeleted.v1':
          await discontinueProduct(tx, messaging, event.data.productId, clock.now());
          return;
        default:
          assertNever(event);
      }
    },
  });
}
