import { runMessagingService } from '@talad/bootstrap';
import { buildOrderingApp } from './app.ts';
import { createCheckout } from './checkout/index.ts';
import { orderingConfig } from './config.ts';
import { migrateOrderingChassis } from './migrations.ts';
import { createCardTokenCheck } from './payment/card-tokens.ts';
import { startReplicaBootstrap } from './replicas/index.ts';

await runMessagingService({
  name: 'ordering',
  config: orderingConfig,
  async start({ config, logger, onShutdown, pool, transport, verifier }) {
    // talad applied ordering's own migrations and the messaging tables; the event store's and the
    // saga's tables are the chassis's, applied here by the service's own role (it owns its database).
    await migrateOrderingChassis(pool);
    const bootstrap = startReplicaBootstrap({
      pool,
      catalogUrl: config.CATALOG_URL,
      shippingUrl: config.SHIPPING_URL,
      logger,
    });
    onShutdown(() => bootstrap.stop());
    return buildOrderingApp({
      pool,
      transport,
      verifier,
      checkout: createCheckout,
      checkCardToken: createCardTokenCheck({
        paymentUrl: config.PAYMENT_URL,
        onUnreachable: (error) => logger.warn({ err: error }, 'card token not checked: payment did not answer'),
      }),
      logger,
    });
  },
});
