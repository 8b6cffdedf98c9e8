import { PaymentExpired } from '@talad/contracts-payment';
import type { Clock } from '@talad/core';
import type { Messaging } from '@talad/messaging';
import type { Logger } from '@talad/service';
import { publishPaymentStatus } from '../payments/payment-events.ts';
import { expireDueSlips } from '../payments/payment-repository.ts';

export interface SlipExpiryOptions {
  messaging: Pick<Messaging, 'publish' | 'transaction'>;
  clock: Clock;
  logger?: Logger | undefined;
  /** How often `start` sweeps. Defaults to 1 s. */
  intervalMs?: number;
  /** Slips expired per transaction. Defaults to 100. */
  batchSize?: number;
}

export interface SlipExpirySweeper {
  /** Expires every unpaid slip past its expiry now; returns how many this sweeper expired. */
  sweep(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Expires unpaid slips: each batch in one transaction marks them expired (rows held elsewhere are
 * skipped, `FOR UPDATE SKIP LOCKED`) and writes `PaymentExpired` and `PaymentStatusChanged` to the
 * outbox, so with any number of instances sweeping, each slip expires, and is announced, once.
 */
export function createSlipExpirySweeper(options: SlipExpiryOptions): SlipExpirySweeper {
  const { messaging, clock, logger } = options;
  const batchSize = options.batchSize ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let sweeping: Promise<unknown> = Promise.resolve();

  async function sweepBatch(): Promise<number> {
    return messaging.transaction(async (tx) => {
      const now = clock.now();
      const expired = await expireDueSlips(tx, now, batchSize);
      for (const payment of expired) {
        await messaging.publish(
          tx,
          PaymentExpired,
          { orderId: payment.orderId, paymentId: payment.id, expiredAt: now.toISOString() },
          { key: payment.orderId },
        );
        await publishPaymentStatus(messaging, tx, payment, now);
      }
      return expired.length;
    });
  }

  async function sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await sweepBatch();
      total += expired;
      if (expired < batchSize) return total;
    }
  }

  return {
    sweep,
    start() {
      if (running) return;
      running = true;
      const schedule = (): void => {
        timer = setTimeout(() => {
          sweeping = sweep()
            .then((expired) => {
              if (expired > 0) logger?.info({ expired }, 'pay slips expired');
            })
            .catch((error: unknown) => logger?.warn({ err: error }, 'pay slip expiry sweep failed; retried'))
            .finally(() => {
              if (running) schedule();
            });
        }, options.intervalMs ?? 1000);
        timer.unref();
      };
      schedule();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await sweeping;
    },
  };
}
