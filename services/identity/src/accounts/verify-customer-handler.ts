import { CustomerVerificationFailed, CustomerVerified, VerifyCustomer } from '@talad/contracts-identity';
import type { Messaging } from '@talad/messaging';
import { verifyCustomer } from './verify-customer.ts';

/**
 * Identity's part in the checkout saga: answers each `VerifyCustomer` command with `CustomerVerified`
 * or `CustomerVerificationFailed` (with the reason), on the requester's reply topic. The reply is
 * written in the transaction that records the command in the inbox, so a redelivered command is
 * answered once. A database failure is retried, never turned into a "no" (that would reject an order
 * for a customer who may order).
 *
 * @example
 * subscribeVerifyCustomer(messaging); // before messaging.start()
 */
export function subscribeVerifyCustomer(messaging: Messaging): void {
  messaging.subscribe({
    messages: [VerifyCustomer],
    handler: async (command, tx) => {
      const { customerId } = command.data;
      const verification = await verifyCustomer(tx, customerId);
      if (verification.verified) {
        await messaging.reply(tx, command, CustomerVerified, { customerId });
      } else {
        await messaging.reply(tx, command, CustomerVerificationFailed, { customerId, reason: verification.reason });
      }
    },
  });
}
