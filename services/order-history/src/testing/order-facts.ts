import type { MessageData } from '@talad/messaging';
import type { OrderApproved, OrderCancelled, OrderPlaced, OrderRejected } from '@talad/contracts-ordering';
import type { PaymentStatusChanged } from '@talad/contracts-payment';
import type { ShipmentStatusChanged } from '@talad/contracts-shipping';
import { newId } from '@talad/core';
import { SAMPLE_ADDRESS } from '@talad/contracts-common/testing';

/** Event data for one order, as ordering, payment and shipping publish it, minutes apart from `start`. */
export function orderFacts(options: { orderId?: string; customerId?: string; start?: Date } = {}) {
  const orderId = options.orderId ?? newId();
  const customerId = options.customerId ?? newId();
  const start = options.start ?? new Date(Date.UTC(2026, 10, 1, 9));
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000).toISOString();
  const lines = [
    {
      productId: newId(),
      sku: 'SNK-TST-000001',
      name: 'Test Runner',
      size: '42',
      quantity: 2,
      unitPrice: { amount: 150_000, currency: 'THB' as const },
      lineTotal: { amount: 300_000, currency: 'THB' as const },
    },
  ];
  const totals = {
    subtotal: { amount: 300_000, currency: 'THB' as const },
    shippingFee: { amount: 5_000, currency: 'THB' as const },
    total: { amount: 305_000, currency: 'THB' as const },
  };
  const shippingAddress = SAMPLE_ADDRESS;
  const paymentId = newId();
  const shipmentId = newId();
  const slip = {
    invoiceNumber: 'INV-2026-000123',
    paymentCode: '123456789012345',
    barcodeSvg: '<svg xmlns="http://www.w3.org/2000/svg"/>',
    amount: totals.total,
    expiresAt: at(48 * 60),
  };
  const payment = (
    state: MessageData<typeof PaymentStatusChanged>['state'],
    minutes: number,
    method: 'card' | 'counter' = 'counter',
  ): MessageData<typeof PaymentStatusChanged> => ({
    orderId,
    paymentId,
    customerId,
    method,
    state,
    amount: totals.total,
    card: method === 'card' ? { brand: 'visa', last4: '4242' } : null,
    slip: method === 'counter' ? slip : null,
    reason: null,
    changedAt: at(minutes),
  });
  const shipment = (
    status: MessageData<typeof ShipmentStatusChanged>['status'],
    minutes: number,
  ): MessageData<typeof ShipmentStatusChanged> => ({
    shipmentId,
    orderId,
    customerId,
    trackingNumber: 'TH0000000001',
    courier: 'Flash',
    option: 'standard',
    status,
    changedAt: at(minutes),
  });
  return {
    orderId,
    customerId,
    slip,
    placed: (minutes = 0): MessageData<typeof OrderPlaced> => ({
      orderId,
      customerId,
      lines,
      totals,
      shippingAddress,
      shippingOption: 'standard',
      paymentMethod: 'card',
      placedAt: at(minutes),
    }),
    approved: (minutes: number): MessageData<typeof OrderApproved> => ({
      orderId,
      customerId,
      lines,
      totals,
      shippingAddress,
      shippingOption: 'standard',
      approvedAt: at(minutes),
    }),
    rejected: (minutes: number): MessageData<typeof OrderRejected> => ({
      orderId,
      customerId,
      reason: 'OUT_OF_STOCK',
      rejectedAt: at(minutes),
    }),
    cancelled: (minutes: number): MessageData<typeof OrderCancelled> => ({
      orderId,
      customerId,
      cancelledBy: 'customer',
      cancelledAt: at(minutes),
    }),
    payment,
    shipment,
    at,
  };
}
