import {
  AuthorizePayment,
  CapturePayment,
  PaymentAuthorized,
  PaymentCaptured,
  PaymentDeclined,
  PaymentPending,
  PaymentRefunded,
  PaymentVoided,
  RefundPayment,
  VoidPayment,
} from '@talad/contracts-payment';
import { assertNever, newId, type Clock } from '@talad/core';
import type { Messaging, MessageData, ReceivedMessage, RetryPolicy } from '@talad/messaging';
import type { PoolClient } from '@talad/pg';
import type { Logger } from '@talad/service';
import { DEFAULT_PAY_SLIP_TTL_MS, paySlipView } from '../counter/pay-slip.ts';
import { newPaymentCode } from '../counter/payment-code.ts';
import { ProviderContractError, type CardProvider } from '../provider/index.ts';
import {
  answerFor,
  declineReasonOf,
  planFor,
  type Answer,
  type PaymentCommandKind,
  type Plan,
} from './payment-decisions.ts';
import { publishPaymentStatus } from './payment-events.ts';
import { changePaymentState, insertPayment, lockPaymentOfOrder, nextInvoiceNumber } from './payment-repository.ts';
import type { Payment } from './payment.ts';

const COMMANDS = [AuthorizePayment, CapturePayment, VoidPayment, RefundPayment] as const;
type PaymentCommand = ReceivedMessage<(typeof COMMANDS)[number]>;

/**
 * How a payment command is retried when its handler fails, which here is mostly the provider being
 * down or slow: about 45 s of tries with growing pauses (the circuit breaker makes them cheap), then a
 * dead letter an operator can replay. Each try calls the provider with the same idempotency keys.
 */
export const PAYMENT_COMMAND_RETRY: RetryPolicy = { attempts: 8, initialDelayMs: 500, maxDelayMs: 15_000 };

export interface PaymentCommandOptions {
  provider: CardProvider;
  clock: Clock;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  /** How long a counter slip may be paid; defaults to 48 hours. */
  slipTtlMs?: number;
}

/**
 * The idempotency key of an operation on an order's payment at the provider: the same for every try
 * and every redelivery, so the provider acts once however often we ask.
 */
export function providerKey(orderId: string, operation: 'authorize' | 'capture' | 'void' | 'refund'): string {
  return `payment-${orderId}-${operation}`;
}

/**
 * Handles the checkout saga's payment commands, each in the transaction that records it in the
 * inbox: lock the order's payment, decide (`planFor`), call the provider if needed, store, reply. A
 * provider that is down or slow makes the handler throw, never decline: the message is retried.
 */
export function subscribePaymentCommands(messaging: Messaging, options: PaymentCommandOptions): void {
  const { provider, clock, logger } = options;
  const slipTtlMs = options.slipTtlMs ?? DEFAULT_PAY_SLIP_TTL_MS;

  messaging.subscribe({
    messages: COMMANDS,
    retry: { ...PAYMENT_COMMAND_RETRY, ...options.retry },
    handler: async (message, tx) => {
      const command = kindOf(message);
      const { orderId } = message.data;
      const stored = await lockPaymentOfOrder(tx, orderId);
      const method = message.type === AuthorizePayment.type ? message.data.method.type : stored?.method;
      const plan = planFor(command, stored?.state ?? null, method);
      const payment = await carryOut(tx, plan, stored, message);
      if (payment.state !== stored?.state) await publishPaymentStatus(messaging, tx, payment, clock.now());
      await reply(tx, message, answerFor(command, payment));
    },
  });

  async function carryOut(
    tx: PoolClient,
    plan: Plan,
    stored: Payment | null,
    message: PaymentCommand,
  ): Promise<Payment> {
    const { orderId } = message.data;
    switch (plan.kind) {
      case 'answer':
        return required(stored);
      case 'authorize':
        if (message.type !== AuthorizePayment.type) throw new Error('only AuthorizePayment authorizes');
        return authorize(tx, message.data);
      case 'issue-slip':
        if (message.type !== AuthorizePayment.type) throw new Error('only AuthorizePayment issues a slip');
        return issueSlip(tx, message.data);
      case 'local':
        return changePaymentState(tx, required(stored).id, plan.to, clock.now());
      case 'provider':
        return moveAtProvider(tx, required(stored), plan);
      case 'close':
        await voidWhateverTheProviderHolds(orderId);
        return (
          stored ??
          insertPayment(
            tx,
            {
              id: newId(),
              orderId,
              customerId: null,
              state: 'closed',
              amount: null,
              cardToken: null,
              brand: null,
              last4: null,
              providerAuthorizationId: null,
              declineReason: null,
            },
            clock.now(),
          )
        );
      case 'impossible':
        throw new Error(`payment of order ${orderId}: ${plan.reason}`);
      default:
        return assertNever(plan);
    }
  }

  /** Pay at a counter: a slip with an invoice number and a payment code, payable until it expires. */
  async function issueSlip(tx: PoolClient, data: MessageData<typeof AuthorizePayment>): Promise<Payment> {
    const now = clock.now();
    return insertPayment(
      tx,
      {
        id: newId(),
        orderId: data.orderId,
        customerId: data.customerId,
        method: 'counter',
        state: 'pending',
        amount: data.amount,
        cardToken: null,
        brand: null,
        last4: null,
        providerAuthorizationId: null,
        declineReason: null,
        slip: {
          invoiceNumber: await nextInvoiceNumber(tx, now),
          // Unique in the table: a clash (one in ten trillion) fails the transaction, and the retry draws anew.
          paymentCode: newPaymentCode(),
          expiresAt: new Date(now.getTime() + slipTtlMs),
        },
      },
      now,
    );
  }

  async function authorize(tx: PoolClient, data: MessageData<typeof AuthorizePayment>): Promise<Payment> {
    const { orderId, customerId, amount, method } = data;
    if (method.type !== 'card') throw new Error('only a card is authorized at the provider');
    const result = await provider.authorize(
      { token: method.cardToken, amount: amount.amount, currency: amount.currency, reference: orderId },
      providerKey(orderId, 'authorize'),
    );
    const base = { id: newId(), orderId, customerId, amount, cardToken: method.cardToken };
    if (result.kind === 'unknown-token') {
      return insertPayment(
        tx,
        {
          ...base,
          state: 'declined',
          brand: null,
          last4: null,
          providerAuthorizationId: null,
          declineReason: 'INVALID_CARD_TOKEN',
        },
        clock.now(),
      );
    }
    const { authorization } = result;
    if (authorization.status !== 'authorized' && authorization.status !== 'declined') {
      throw new ProviderContractError(`a new authorization is ${authorization.status}`);
    }
    const declined = authorization.status === 'declined';
    return insertPayment(
      tx,
      {
        ...base,
        state: declined ? 'declined' : 'authorized',
        brand: authorization.brand,
        last4: authorization.last4,
        providerAuthorizationId: authorization.id,
        declineReason: declined ? declineReasonOf(authorization.declineCode) : null,
      },
      clock.now(),
    );
  }

  async function moveAtProvider(tx: PoolClient, payment: Payment, plan: Extract<Plan, { kind: 'provider' }>) {
    if (!payment.providerAuthorizationId) throw new Error(`payment ${payment.id} has no provider authorization`);
    const result = await provider.act(
      payment.providerAuthorizationId,
      plan.action,
      providerKey(payment.orderId, plan.action),
    );
    // Refused because it is already where we want it: an earlier try acted and we missed its answer.
    if (result.kind === 'refused' && result.authorizationStatus !== plan.to) {
      throw new ProviderContractError(
        `the provider refused to ${plan.action} authorization ${payment.providerAuthorizationId}: it is ${result.authorizationStatus}`,
      );
    }
    return changePaymentState(tx, payment.id, plan.to, clock.now());
  }

  /**
   * Before a tombstone: an authorization may exist at the provider that we never recorded (a try whose
   * answer was lost, then given up). The order id is its reference there, so find it and void it.
   */
  async function voidWhateverTheProviderHolds(orderId: string): Promise<void> {
    for (const authorization of await provider.authorizationsFor(orderId)) {
      if (authorization.status !== 'authorized') continue;
      logger?.warn(
        { orderId, authorizationId: authorization.id },
        'voiding an authorization the payment service never recorded',
      );
      const result = await provider.act(authorization.id, 'void', providerKey(orderId, 'void'));
      if (result.kind === 'refused' && result.authorizationStatus !== 'voided') {
        throw new ProviderContractError(
          `could not void authorization ${authorization.id}: it is ${result.authorizationStatus}`,
        );
      }
    }
  }

  async function reply(tx: PoolClient, message: PaymentCommand, answer: Answer): Promise<void> {
    const { orderId } = message.data;
    switch (answer.kind) {
      case 'authorized':
        await messaging.reply(tx, message, PaymentAuthorized, {
          orderId,
          paymentId: answer.paymentId,
          amount: answer.amount,
          brand: answer.brand,
          last4: answer.last4,
        });
        return;
      case 'pending':
        await messaging.reply(tx, message, PaymentPending, {
          orderId,
          paymentId: answer.paymentId,
          slip: paySlipView(answer.slip, answer.amount),
        });
        return;
      case 'declined':
        await messaging.reply(tx, message, PaymentDeclined, {
          orderId,
          paymentId: answer.paymentId,
          reason: answer.reason,
        });
        return;
      case 'captured':
        await messaging.reply(tx, message, PaymentCaptured, {
          orderId,
          paymentId: answer.paymentId,
          amount: answer.amount,
        });
        return;
      case 'voided':
        await messaging.reply(tx, message, PaymentVoided, {
          orderId,
          ...(answer.paymentId ? { paymentId: answer.paymentId } : {}),
        });
        return;
      case 'refunded':
        await messaging.reply(tx, message, PaymentRefunded, {
          orderId,
          amount: answer.amount,
          ...(answer.paymentId ? { paymentId: answer.paymentId } : {}),
        });
        return;
      default:
        assertNever(answer);
    }
  }
}

function kindOf(message: PaymentCommand): PaymentCommandKind {
  switch (message.type) {
    case AuthorizePayment.type:
      return 'authorize';
    case CapturePayment.type:
      return 'capture';
    case VoidPayment.type:
      return 'void';
    case RefundPayment.type:
      return 'refund';
    default:
      return assertNever(message);
  }
}

function required(payment: Payment | null): Payment {
  if (!payment) throw new Error('expected a stored payment');
  return payment;
}
