import {
  CommitReservation,
  ReleaseStock,
  ReservationCommitFailed,
  ReservationCommitted,
  ReserveStock,
  ReturnStock,
  StockReleased,
  StockReservationFailed,
  StockReserved,
  StockReturned,
} from '@talad/contracts-inventory';
import { assertNever, type Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import { lockStock } from '../stock/stock-store.ts';
import { decideCommit, decideRelease, decideReserve, decideReturn, productIdsOf } from './reservation-rules.ts';
import { applyDecision, lockReservation } from './reservation-store.ts';

/**
 * Inventory's part in the checkout saga (`ReserveStock`, `ReleaseStock`, `CommitReservation`) and in the
 * cancellation saga (`ReturnStock`), each
 * answered on the requester's reply topic in the transaction that records the command in the inbox
 * and changes the stock, so a redelivered command has one effect and one answer. The same command
 * sent again (a new message for the same order) changes nothing and gets the same answer. A database
 * failure is retried by the consumer, never turned into a refusal.
 *
 * @example
 * subscribeReservationCommands(messaging, clock); // before messaging.start()
 */
export function subscribeReservationCommands(messaging: Messaging, clock: Clock): void {
  messaging.subscribe({
    messages: [ReserveStock, ReleaseStock, CommitReservation, ReturnStock],
    handler: async (command, tx) => {
      const now = clock.now();
      const { orderId } = command.data;
      const existing = await lockReservation(tx, orderId);
      switch (command.type) {
        case 'inventory.ReserveStock.v1': {
          const { lines, expiresAt } = command.data;
          // Only a new reservation needs the stock; its rows are locked now, in product-id order.
          const stock = existing ? new Map() : await lockStock(tx, productIdsOf(lines));
          const decision = decideReserve(existing, { orderId, lines, expiresAt: new Date(expiresAt) }, stock, now);
          await applyDecision(tx, messaging, decision, now);
          if (decision.reply.type === 'reserved') {
            await messaging.reply(tx, command, StockReserved, { orderId });
          } else {
            const { reason, shortages } = decision.reply;
            await messaging.reply(tx, command, StockReservationFailed, { orderId, reason, shortages });
          }
          return;
        }
        case 'inventory.ReleaseStock.v1': {
          await applyDecision(tx, messaging, decideRelease(existing, orderId), now);
          await messaging.reply(tx, command, StockReleased, { orderId });
          return;
        }
        case 'inventory.CommitReservation.v1': {
          const decision = decideCommit(existing, orderId);
          await applyDecision(tx, messaging, decision, now);
          if (decision.reply.type === 'committed') {
            await messaging.reply(tx, command, ReservationCommitted, { orderId });
          } else {
            await messaging.reply(tx, command, ReservationCommitFailed, { orderId, reason: decision.reply.reason });
          }
          return;
        }
        case 'inventory.ReturnStock.v1': {
          await applyDecision(tx, messaging, decideReturn(existing), now);
          await messaging.reply(tx, command, StockReturned, { orderId });
          return;
        }
        default:
          assertNever(command);
      }
    },
  });
}
