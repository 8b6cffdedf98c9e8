import type { Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import { HISTORY_MESSAGES, historyEventOf } from './history-event.ts';
import { recordEventInTurn, reprojectOrder } from './history-store.ts';
import type { ProjectionLag } from './projection-lag.ts';

/**
 * The projection: each event is kept in order-history's own log and its order's summary folded again,
 * in the transaction that records the message in the inbox (the inbox is the checkpoint: a message is
 * applied exactly when its inbox row commits). The order is locked first, so two of its events handled at
 * once (they come on different topics) are folded one after the other, the second seeing the first.
 */
export function subscribeOrderHistory(messaging: Messaging, parts: { clock: Clock; lag: ProjectionLag }): void {
  messaging.subscribe({
    messages: HISTORY_MESSAGES,
    handler: async (message, tx) => {
      const event = historyEventOf(message);
      if (await recordEventInTurn(tx, event, parts.clock.now())) await reprojectOrder(tx, event.orderId);
      parts.lag.applied(new Date(event.occurredAt));
    },
  });
}
