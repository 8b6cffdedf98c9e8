import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerVerificationFailed } from '@talad/contracts-identity';
import { StockLevelChanged, StockReservationFailed } from '@talad/contracts-inventory';
import { PaymentAuthorized, PaymentDeclined } from '@talad/contracts-payment';
import { newId } from '@talad/core';
import { eventually, waitFor } from '@talad/messaging/testing';
import type { SagaInstanceView } from '@talad/saga';
import { startTcpProxy } from '@talad/testing';
import { productId, testProduct } from '../../services/inventory/src/testing/snapshot-catalog.ts';
import { startCheckoutSystem, type CheckoutSystem, type Shopper } from '../support/checkout-harness.ts';
import { agreedOutcomes, expectInvariantsHold } from './agreement.ts';
import { envelopeOf, ofType, redelivered, repliesTo, staleReply } from './messages.ts';
import type { BrokerChoice } from './transports.ts';
import { SAMPLE_ADDRESS } from '@talad/contracts-common/testing';

/** Short deadlines, so a step that never answers times out within seconds. */
const STEP_DEADLINE_MS = 2_500;
/** The slow test card answers after this: past the payment step's deadline. */
const SLOW_CARD_DELAY_MS = 5_000;
const STOCK = 5;
const RACERS = 8;

/** One product per scenario, so each scenario's stock and stock events are its own. */
const PRODUCT = {
  lastUnit: productId(1),
  declined: productId(2),
  lateProvider: productId(3),
  silentParticipant: productId(4),
  repeatedReplies: productId(5),
  failingCompensation: productId(6),
  cutConnection: productId(7),
} as const;

const commandsOf = (saga: SagaInstanceView, step: string, phase: 'action' | 'compensation') =>
  saga.history.filter((entry) => entry.kind === 'command' && entry.step === step && entry.phase === phase);
const timeoutsOf = (saga: SagaInstanceView, step: string, phase: 'action' | 'compensation') =>
  saga.history.filter((entry) => entry.kind === 'timeout' && entry.step === step && entry.phase === phase);
const acceptedReplyIds = (saga: SagaInstanceView) =>
  saga.history.filter((entry) => entry.kind === 'reply').map((entry) => entry.messageId);

/**
 * The card-payment scenarios of CONSISTENCY.md's "Sagas", with the real identity, inventory, payment
 * (and card provider simulator) and ordering apps in one process, each with its own database and its
 * own messaging, all on the broker `choice` gives. Each scenario ends checking that ordering,
 * inventory, payment and the provider agree on its orders, and that the invariants hold.
 */
export function describeCheckoutScenarios(choice: BrokerChoice): void {
  const setup = choice.setup();
  const suite = choice.skipReason ? describe.skip : describe;
  suite(`checkout sagas on ${setup.name}${choice.skipReason ? ` (skipped: ${choice.skipReason})` : ''}`, () => {
    let system: CheckoutSystem;
    /** Set once the system started, so a failed start closes what it can. */
    let started: CheckoutSystem | undefined;
    let successCard: string;

    beforeAll(async () => {
      system = await startCheckoutSystem({
        transport: setup,
        products: Object.values(PRODUCT).map((_, index) => testProduct(index + 1)),
        timings: { stepDeadlineMs: STEP_DEADLINE_MS, paymentDeadlineMs: STEP_DEADLINE_MS },
        faults: { slowCardDelayMs: SLOW_CARD_DELAY_MS },
        providerTimeoutMs: 2_000,
      });
      started = system;
      for (const product of Object.values(PRODUCT)) await system.setStock(product, STOCK);
      successCard = await system.cardToken('success');
    });

    afterAll(async () => {
      await started?.close();
    });

    const oneLine = (product: string) => [{ productId: product, quantity: 1 }];

    async function place(shopper: Shopper, product: string, cardToken: string): Promise<string> {
      const placed = await system.placeOrder(shopper, { lines: oneLine(product), cardToken });
      expect(placed.statusCode, placed.body).toBe(202);
      return placed.json().orderId;
    }

    /** The availability inventory announced for a product, in order. */
    const announcedAvailability = (product: string) =>
      ofType(system.inventory.published, StockLevelChanged.type)
        .filter(({ envelope }) => envelope.data['productId'] === product)
        .map(({ envelope }) => envelope.data['available']);

    it('sells the last unit once when many order it at once: one approved, the rest rejected OUT_OF_STOCK', async () => {
      await system.setStock(PRODUCT.lastUnit, 1);
      const shoppers = await Promise.all(Array.from({ length: RACERS }, () => system.customer()));
      const orderIds = await Promise.all(shoppers.map((shopper) => place(shopper, PRODUCT.lastUnit, successCard)));
      const orders = await Promise.all(orderIds.map((orderId) => system.settled(orderId)));

      expect(orders.filter((order) => order.status === 'approved')).toHaveLength(1);
      const rejected = orders.filter((order) => order.status === 'rejected');
      expect(rejected).toHaveLength(RACERS - 1);
      expect(new Set(rejected.map((order) => order.rejectionReason))).toEqual(new Set(['OUT_OF_STOCK']));
      expect(await system.stock(PRODUCT.lastUnit)).toMatchObject({ onHand: 0, reserved: 0, available: 0 });

      const outcomes = await agreedOutcomes(system, orderIds);
      expect(outcomes.flatMap((outcome) => outcome.authorizations)).toEqual(['captured']);
      await expectInvariantsHold(system);
    });

    it('releases the stock exactly once and captures nothing when the card is declined', async () => {
      const levelsBefore = announcedAvailability(PRODUCT.declined).length;
      const orderId = await place(await system.customer(), PRODUCT.declined, await system.cardToken('declined'));
      const order = await system.settled(orderId);

      expect(order).toMatchObject({ status: 'rejected', rejectionReason: 'PAYMENT_DECLINED' });
      const [outcome] = await agreedOutcomes(system, [orderId]);
      expect(outcome).toMatchObject({ reservation: 'released', payment: 'declined', authorizations: ['declined'] });
      expect(await system.stock(PRODUCT.declined)).toMatchObject({ onHand: STOCK, reserved: 0 });
      // Down once when reserved, up once when released.
      await eventually(
        () => announcedAvailability(PRODUCT.declined),
        (levels) => levels.length >= levelsBefore + 2,
        { what: 'the stock level events' },
      );
      expect(announcedAvailability(PRODUCT.declined).slice(levelsBefore)).toEqual([STOCK - 1, STOCK]);
      await expectInvariantsHold(system);
    });

    it('rejects a provider answer that comes after the deadline, voids the authorization, and rejects the order STEP_TIMED_OUT', async () => {
      const orderId = await place(await system.customer(), PRODUCT.lateProvider, await system.cardToken('slow'));
      const order = await system.settled(orderId);

      expect(order).toMatchObject({ status: 'rejected', rejectionReason: 'STEP_TIMED_OUT' });
      expect(order.payment.last4).toBeNull();
      const saga = await system.saga(orderId);
      expect(timeoutsOf(saga, 'authorizePayment', 'action')).toHaveLength(1);

      // Payment did answer, late: ordering received the authorization and the saga did not take it.
      const [late] = ofType(system.payment.published, PaymentAuthorized.type).filter(
        ({ envelope }) => envelope.data['orderId'] === orderId,
      );
      expect(late).toBeDefined();
      await waitFor('ordering to receive the late authorization', () =>
        system.handled(system.ordering, late?.envelope.id ?? ''),
      );
      expect(acceptedReplyIds(await system.saga(orderId))).not.toContain(late?.envelope.id);

      // The provider's books: the one authorization is voided, the money back with the customer.
      expect(await system.authorizations(orderId)).toEqual([expect.objectContaining({ status: 'voided' })]);
      const [outcome] = await agreedOutcomes(system, [orderId]);
      expect(outcome).toMatchObject({ reservation: 'released', payment: 'voided' });
      expect(await system.stock(PRODUCT.lateProvider)).toMatchObject({ onHand: STOCK, reserved: 0 });
      await expectInvariantsHold(system);
    });

    it('fires the deadline once when a participant never answers, compensates, and changes nothing twice when it is back', async () => {
      await system.inventory.stop();
      let orderId = '';
      try {
        orderId = await place(await system.customer(), PRODUCT.silentParticipant, successCard);
        // The reservation times out; its release cannot be answered either, so it is resent.
        await eventually(
          () => system.saga(orderId),
          (saga) => commandsOf(saga, 'reserveStock', 'compensation').length >= 2,
          { what: 'the release to be resent while inventory is down', timeoutMs: 30_000 },
        );
        expect((await system.order(orderId)).status).toBe('pending');
      } finally {
        await system.inventory.start();
      }
      const order = await system.settled(orderId);

      expect(order).toMatchObject({ status: 'rejected', rejectionReason: 'STEP_TIMED_OUT' });
      const saga = await system.saga(orderId);
      expect(timeoutsOf(saga, 'reserveStock', 'action')).toHaveLength(1);
      expect(commandsOf(saga, 'authorizePayment', 'action')).toHaveLength(0);
      // Inventory, back, reserved late (then released): the saga took no late answer as the reservation.
      const [reserve] = commandsOf(saga, 'reserveStock', 'action');
      for (const answer of repliesTo(system.inventory.published, reserve?.messageId ?? '')) {
        expect(acceptedReplyIds(saga)).not.toContain(envelopeOf(answer).id);
      }
      const [outcome] = await agreedOutcomes(system, [orderId]);
      expect(outcome).toMatchObject({ reservation: 'released', payment: null, authorizations: [] });
      await expectInvariantsHold(system);
      // Every late command was handled by now (the outboxes drained): the stock is whole.
      expect(await system.stock(PRODUCT.silentParticipant)).toMatchObject({ onHand: STOCK, reserved: 0 });
      expect(announcedAvailability(PRODUCT.silentParticipant).at(-1) ?? STOCK).toBe(STOCK);
    });

    it('ignores duplicate and stale replies, while the saga runs and after it ended', async () => {
      // The provider answers slowly (well inside the deadline), so the saga waits at the authorization.
      await system.setFaults({ latencyMs: 800 });
      let orderId = '';
      let running: SagaInstanceView;
      try {
        orderId = await place(await system.customer(), PRODUCT.repeatedReplies, successCard);
        running = await eventually(
          () => system.saga(orderId),
          (saga) => saga.awaiting?.step === 'authorizePayment',
          { what: 'the saga to wait for the authorization' },
        );
        const [verify] = commandsOf(running, 'verifyCustomer', 'action');
        const [reserve] = commandsOf(running, 'reserveStock', 'action');
        const [verified] = repliesTo(system.identity.published, verify?.messageId ?? '');
        const [reserved] = repliesTo(system.inventory.published, reserve?.messageId ?? '');
        if (!verified || !reserved) throw new Error('the replies of the first steps were not published');
        const staleRefusal = staleReply(reserved, {
          type: StockReservationFailed.type,
          data: { orderId, reason: 'OUT_OF_STOCK', shortages: [] },
        });
        const staleFailure = staleReply(verified, {
          type: CustomerVerificationFailed.type,
          data: { customerId: envelopeOf(verified).data['customerId'], reason: 'CUSTOMER_DISABLED' },
        });
        const duplicatesBefore = await system.consumedDuplicates();
        await system.inject([redelivered(verified), redelivered(reserved), staleRefusal, staleFailure]);
        await waitFor('ordering to receive the stale replies', async () => {
          const handled = await Promise.all(
            [staleRefusal, staleFailure].map((m) => system.handled(system.ordering, m.id)),
          );
          return handled.every(Boolean) && (await system.consumedDuplicates()) >= duplicatesBefore + 2;
        });
      } finally {
        await system.setFaults({ latencyMs: 0 });
      }
      const order = await system.settled(orderId);
      expect(order.status).toBe('approved');

      // After the end: every reply of the saga once more, and a late decline of the authorization.
      const ended = await system.saga(orderId);
      const requestIds = new Set(
        ended.history.filter((entry) => entry.kind === 'command').map((entry) => entry.messageId),
      );
      const replies = [system.identity, system.inventory, system.payment].flatMap((participant) =>
        participant.published.filter(
          (message) => message.topic === 'ordering.replies' && requestIds.has(envelopeOf(message).correlationid ?? ''),
        ),
      );
      expect(replies.length).toBeGreaterThanOrEqual(5);
      const [authorize] = commandsOf(ended, 'authorizePayment', 'action');
      const [authorized] = repliesTo(system.payment.published, authorize?.messageId ?? '');
      if (!authorized) throw new Error('the authorization reply was not published');
      const lateDecline = staleReply(authorized, {
        type: PaymentDeclined.type,
        data: { orderId, paymentId: envelopeOf(authorized).data['paymentId'], reason: 'DECLINED' },
      });
      const duplicatesBefore = await system.consumedDuplicates();
      await system.inject([...replies.map(redelivered), lateDecline]);
      await waitFor('ordering to receive the late decline', () => system.handled(system.ordering, lateDecline.id));

      const after = await system.saga(orderId);
      expect(after.state).toBe('completed');
      expect(after.history).toEqual(ended.history);
      expect((await system.order(orderId)).status).toBe('approved');
      // Each redelivered reply reached ordering, whose inbox dropped it.
      await eventually(
        () => system.consumedDuplicates(),
        (duplicates) => duplicates >= duplicatesBefore + replies.length,
        { what: 'the redelivered replies to be dropped as duplicates' },
      );
      const [outcome] = await agreedOutcomes(system, [orderId]);
      expect(outcome?.authorizations).toEqual(['captured']);
      expect(await system.stock(PRODUCT.repeatedReplies)).toMatchObject({ onHand: STOCK - 1, reserved: 0 });
      await expectInvariantsHold(system);
    });

    it('retries a compensation the provider keeps failing until it succeeds: the order is rejected and the authorization voided', async () => {
      let orderId = '';
      try {
        orderId = await place(await system.customer(), PRODUCT.failingCompensation, await system.cardToken('slow'));
        await eventually(
          () => system.saga(orderId),
          (saga) => saga.state === 'compensating',
          { what: 'the authorization to time out' },
        );
        // The provider fails every call now: the void cannot succeed, and the saga resends it.
        await system.setFaults({ failureRate: 1 });
        await eventually(
          () => system.saga(orderId),
          (saga) => commandsOf(saga, 'authorizePayment', 'compensation').length >= 2,
          { what: 'the void to be resent', timeoutMs: 30_000 },
        );
        expect((await system.order(orderId)).status).toBe('pending');
      } finally {
        await system.setFaults({ failureRate: 0 });
      }
      const order = await system.settled(orderId);

      expect(order).toMatchObject({ status: 'rejected', rejectionReason: 'STEP_TIMED_OUT' });
      expect(await system.authorizations(orderId)).toEqual([expect.objectContaining({ status: 'voided' })]);
      const [outcome] = await agreedOutcomes(system, [orderId]);
      expect(outcome).toMatchObject({ reservation: 'released', payment: 'voided' });
      expect(await system.stock(PRODUCT.failingCompensation)).toMatchObject({ onHand: STOCK, reserved: 0 });
      await expectInvariantsHold(system);
    });

    it('places one order when the client retries after the connection was cut before the answer', async () => {
      const shopper = await system.customer();
      const key = newId();
      const { port } = new URL(system.orderingUrl);
      const proxy = await startTcpProxy({ targetHost: '127.0.0.1', targetPort: Number(port) });
      const send = () =>
        fetch(`http://${proxy.host}:${proxy.port}/orders`, {
          method: 'POST',
          headers: { ...shopper.headers, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({
            lines: oneLine(PRODUCT.cutConnection),
            shippingAddress: SAMPLE_ADDRESS,
            shippingOption: 'standard',
            paymentMethod: { type: 'card', cardToken: successCard },
          }),
        });
      try {
        // Ordering placed the order and committed; the network drops its answer on the way back.
        let cut = false;
        system.beforeOrderingAnswers((request) => {
          if (cut || request.headers['idempotency-key'] !== key) return;
          cut = true;
          proxy.cut();
        });
        await expect(send()).rejects.toThrow();
        system.beforeOrderingAnswers(undefined);
        const placed = await ordersOf(shopper.id);
        expect(placed).toHaveLength(1);

        proxy.restore();
        const retried = await send();
        expect(retried.status).toBe(202);
        const { orderId } = (await retried.json()) as { orderId: string };
        expect(orderId).toBe(placed[0]);
        expect(await ordersOf(shopper.id)).toEqual([orderId]);
        expect(await sagasOf(orderId)).toBe(1);

        expect((await system.settled(orderId)).status).toBe('approved');
        const [outcome] = await agreedOutcomes(system, [orderId]);
        expect(outcome?.authorizations).toEqual(['captured']);
        expect(await system.stock(PRODUCT.cutConnection)).toMatchObject({ onHand: STOCK - 1, reserved: 0 });
        await expectInvariantsHold(system);
      } finally {
        system.beforeOrderingAnswers(undefined);
        await proxy.close();
      }
    });

    async function ordersOf(customerId: string): Promise<string[]> {
      const { rows } = await system.ordering.db.pool.query<{ order_id: string }>(
        `SELECT data->>'orderId' AS order_id FROM events WHERE type = 'OrderPlaced' AND data->>'customerId' = $1`,
        [customerId],
      );
      return rows.map((row) => row.order_id);
    }

    async function sagasOf(orderId: string): Promise<number> {
      const { rows } = await system.ordering.db.pool.query('SELECT 1 FROM saga_instances WHERE id = $1', [orderId]);
      return rows.length;
    }
  });
}
