import { ProductCreated, ProductDeleted, ProductUpdated } from '@talad/contracts-catalog';
import { ShippingRatesChanged } from '@talad/contracts-shipping';
import type { Messaging } from '@talad/messaging';
import { markProductDeleted, upsertProducts } from './product-replica.ts';
import { replaceShippingRates } from './shipping-rate-replica.ts';

/**
 * Keeps the replicas current from their owners' events, each in the transaction that records the
 * message in ordering's inbox. Call before `messaging.start()`.
 */
export function subscribeReplicas(messaging: Messaging): void {
  messaging.subscribe({
    messages: [ProductCreated, ProductUpdated, ProductDeleted],
    handler: async (message, tx) => {
      switch (message.type) {
        case 'catalog.ProductCreated.v1':
        case 'catalog.ProductUpdated.v1':
          await upsertProducts(tx, [message.data.product]);
          return;
        case 'catalog.ProductDeleted.v1':
          await markProductDeleted(tx, message.data.productId, message.data.sku);
          return;
      }
    },
  });
  messaging.subscribe({
    messages: [ShippingRatesChanged],
    handler: async (message, tx) => {
      await replaceShippingRates(tx, message.data.rates, message.data.effectiveAt);
    },
  });
}
