import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OrderSummary } from '@talad/contracts-order-history';
import { CancelOrderButton } from './cancel-order-button.tsx';
import { OrderTimelineView } from './order-timeline-view.tsx';
import { PaySlipView } from './pay-slip-view.tsx';
import { SAMPLE_ADDRESS } from '@talad/contracts-common/testing';

// As in the build (vite.config.ts): the browser needs only the messaging chassis' message definitions,
// not its transports, which the contracts' package entry would otherwise bring in.
vi.mock('@talad/messaging', () => import('../../../../chassis/messaging/src/message-definition.ts'));

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const HOSTILE_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script><rect width="4" height="60"/></svg>';

describe('the pay slip', () => {
  it('shows the code, amount, invoice and expiry, and the barcode only as an image', () => {
    const { container } = render(
      <PaySlipView
        now={new Date('2026-11-27T10:00:00.000Z')}
        slip={{
          invoiceNumber: 'INV-2026-000123',
          paymentCode: '123451234512345',
          barcodeSvg: HOSTILE_SVG,
          amount: { amount: 129_050, currency: 'THB' },
          expiresAt: '2026-11-30T10:00:00.000Z',
        }}
      />,
    );
    expect(screen.getByTestId('payment-code').textContent).toBe('12345 12345 12345');
    expect(screen.getByTestId('slip-amount').textContent).toBe('฿1,290.50');
    expect(screen.getByTestId('invoice-number').textContent).toBe('INV-2026-000123');
    expect(screen.getByTestId('slip-expiry').textContent).toContain('3 days left');
    const barcode = screen.getByRole('img', { name: 'Barcode of payment code 12345 12345 12345' });
    expect(barcode.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    // Nothing of the SVG's markup became part of the page.
    expect(container.querySelector('svg, script, rect')).toBeNull();
    expect(screen.getByRole('button', { name: 'Print pay slip' })).toBeTruthy();
  });
});

const summary: OrderSummary = {
  orderId: '0199a8e4-0000-7000-8000-000000000001',
  customerId: '0199a8e4-0000-7000-8000-000000000002',
  status: 'approved',
  stage: 'shipped',
  rejectionReason: null,
  lines: [],
  totals: {
    subtotal: { amount: 100_000, currency: 'THB' },
    shippingFee: { amount: 0, currency: 'THB' },
    total: { amount: 100_000, currency: 'THB' },
  },
  shippingAddress: SAMPLE_ADDRESS,
  shippingOption: 'standard',
  payment: null,
  shipment: {
    shipmentId: '0199a8e4-0000-7000-8000-000000000003',
    trackingNumber: 'TH0000000000018',
    courier: 'Talad Express',
    option: 'standard',
    status: 'dispatched',
    updatedAt: '2026-11-27T10:05:00.000Z',
  },
  timeline: [
    { step: 'placed', at: '2026-11-27T10:00:00.000Z' },
    { step: 'paid', at: '2026-11-27T10:01:00.000Z' },
    { step: 'dispatched', at: '2026-11-27T10:05:00.000Z' },
  ],
  placedAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:05:00.000Z',
};

describe('the order timeline', () => {
  it('marks the milestones passed, names the parcel, and lists every fact', () => {
    render(<OrderTimelineView summary={summary} />);
    const milestones = screen.getByTestId('milestones').querySelectorAll('li');
    expect([...milestones].map((item) => item.className.includes('milestone-done'))).toEqual([true, true, true, false]);
    expect(milestones[3]?.textContent).toContain('not yet');
    expect(screen.getByTestId('tracking-number').textContent).toBe('TH0000000000018');
    expect(screen.getByTestId('timeline').textContent).toContain('Handed to the courier');
  });
});

describe('cancelling an order', () => {
  const ORDER_ID = '0199a8e4-0000-7000-8000-000000000001';

  /** The gateway's answer to the cancellation, as the browser's fetch would get it. */
  function gatewayAnswers(status: number, body: unknown, contentType = 'application/json') {
    const requests: Array<{ url: string; method: string }> = [];
    vi.stubGlobal('confirm', () => true);
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      requests.push({ url, method: init.method ?? 'GET' });
      return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } }));
    });
    return requests;
  }

  it('asks ordering to cancel, and follows the cancellation once it is accepted (202)', async () => {
    const requests = gatewayAnswers(202, { orderId: ORDER_ID, status: 'pending' });
    const onCancelling = vi.fn();
    render(<CancelOrderButton orderId={ORDER_ID} onCancelling={onCancelling} />);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel order' }));
    await vi.waitFor(() => expect(onCancelling).toHaveBeenCalledOnce());
    expect(requests).toEqual([{ url: `/api/orders/${ORDER_ID}/cancel`, method: 'POST' }]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("shows ordering's reason when it is too late (409)", async () => {
    gatewayAnswers(
      409,
      {
        type: 'urn:talad:problem:ordering-order-not-cancellable',
        title: 'Conflict',
        status: 409,
        detail: 'the parcel has left the warehouse',
        code: 'ORDERING_ORDER_NOT_CANCELLABLE',
      },
      'application/problem+json',
    );
    const onCancelling = vi.fn();
    render(<CancelOrderButton orderId={ORDER_ID} onCancelling={onCancelling} />);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel order' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('It is too late to cancel this order');
    expect(alert.textContent).toContain('the parcel has left the warehouse');
    expect(onCancelling).not.toHaveBeenCalled();
  });

  it('does nothing when the person says no', () => {
    const requests = gatewayAnswers(202, {});
    vi.stubGlobal('confirm', () => false);
    render(<CancelOrderButton orderId={ORDER_ID} onCancelling={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel order' }));
    expect(requests).toEqual([]);
  });
});
