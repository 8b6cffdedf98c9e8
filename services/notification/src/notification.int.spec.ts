import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '@talad/auth/testing';
import { OrderApproved, OrderCancelled, OrderPlaced, OrderRejected } from '@talad/contracts-ordering';
import { PaymentStatusChanged } from '@talad/contracts-payment';
import { ShipmentStatusChanged } from '@talad/contracts-shipping';
import { newId } from '@talad/core';
import {
  createMessaging,
  encodeEnvelope,
  migrateMessaging,
  type AnyMessageDefinition,
  type MessageInput,
  type Messaging,
  type Transport,
} from '@talad/messaging';
import { createPostgresTransport } from '@talad/messaging-postgres';
import { createLogger, type ServiceApp } from '@talad/service';
import { createTestDatabase, type TestDatabase } from '@talad/testing';
import { buildNotificationApp } from './app.ts';
import { createIdentityDirectory } from './customers/customer-directory.ts';
import { createMailer } from './mail/mailer.ts';
import { migrationsDirectory } from './migrations.ts';
import { startStandInIdentity, type StandInIdentity } from './testing/stand-in-identity.ts';
import { startTestSmtpServer, type TestSmtpServer } from './testing/test-smtp-server.ts';
import { SAMPLE_ADDRESS } from '@talad/contracts-common/testing';

/**
 * notification on a real database, with ordering's, payment's and shipping's events published by real
 * producers through their outboxes and a real PostgreSQL message log; customers' addresses from a real
 * HTTP server standing in for identity; SMTP against a real (tiny) SMTP server.
 */
const silent = createLogger({ service: 'notification', level: 'silent' });
const client = { id: 'notification', secret: 'a-secret-of-at-least-twenty-four' };

interface Shop {
  db: TestDatabase;
  log: TestDatabase;
  transport: Transport;
  app: ServiceApp;
  producers: Map<string, { db: TestDatabase; messaging: Messaging }>;
}

let identity: StandInIdentity;
let issuer: TestIssuer;
let smtp: TestSmtpServer;
let mailbox: Shop;
let viaSmtp: Shop;

async function startShop(smtpUrl?: string): Promise<Shop> {
  const db = await createTestDatabase({ prefix: 'notify_http', migrations: migrationsDirectory });
  await migrateMessaging(db.pool);
  const log = await createTestDatabase({ prefix: 'notify_log' });
  const transport = createPostgresTransport({ url: log.url });
  const app = await buildNotificationApp({
    pool: db.pool,
    transport,
    verifier: issuer.verifier,
    directory: createIdentityDirectory({ identityUrl: identity.url, clientId: client.id, clientSecret: client.secret }),
    mailer: createMailer({ smtpUrl, from: 'orders@talad.test' }),
    logger: silent,
  });
  await app.ready();
  const producers = new Map<string, { db: TestDatabase; messaging: Messaging }>();
  for (const service of ['ordering', 'payment', 'shipping']) {
    const producerDb = await createTestDatabase({ prefix: `notify_${service}` });
    await migrateMessaging(producerDb.pool);
    const messaging = createMessaging({ service, pool: producerDb.pool, transport, logger: silent });
    await messaging.start();
    producers.set(service, { db: producerDb, messaging });
  }
  return { db, log, transport, app, producers };
}

async function stopShop(shop: Shop): Promise<void> {
  await shop.app.close();
  for (const side of shop.producers.values()) await side.messaging.stop();
  await shop.transport.close();
  for (const database of [shop.db, shop.log, ...[...shop.producers.values()].map((side) => side.db)]) {
    await database.drop();
  }
}

/** Publishes through the owner's outbox, as the producing service does. */
async function publish<Definition extends AnyMessageDefinition & { kind: 'event' }>(
  shop: Shop,
  definition: Definition,
  data: MessageInput<Definition>,
): Promise<void> {
  const owner = shop.producers.get(definition.type.split('.')[0]!)!;
  await owner.messaging.transaction((tx) =>
    owner.messaging.publish(tx, definition, data, { key: (data as { orderId: string }).orderId }),
  );
}

interface Mail {
  id: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  delivery: string;
  orderId: string;
}

async function mailsTo(shop: Shop, to: string, expected: number): Promise<Mail[]> {
  const headers = { authorization: `Bearer ${await issuer.tokenFor({ sub: newId(), roles: ['admin'] })}` };
  const read = async () =>
    (await shop.app.inject({ url: `/admin/mailbox?to=${encodeURIComponent(to)}`, headers })).json<{ items: Mail[] }>()
      .items;
  let mails = await read();
  for (let attempt = 0; attempt < 150 && mails.length < expected; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    mails = await read();
  }
  return mails;
}

function customer() {
  const id = newId();
  const email = `somchai.${id.slice(-6)}@example.com`;
  identity.customers.set(id, { email, name: 'Somchai <Jaidee>' });
  return { id, email };
}

function order(customerId: string) {
  const orderId = newId();
  const money = (amount: number) => ({ amount, currency: 'THB' as const });
  const lines = [
    {
      productId: newId(),
      sku: 'SNK-TST-000001',
      name: 'Test Runner',
      size: '42',
      quantity: 2,
      unitPrice: money(150_000),
      lineTotal: money(300_000),
    },
  ];
  const totals = { subtotal: money(300_000), shippingFee: money(5_000), total: money(305_000) };
  const shippingAddress = SAMPLE_ADDRESS;
  const now = new Date().toISOString();
  const paymentId = newId();
  const slip = {
    invoiceNumber: 'INV-2026-000123',
    paymentCode: '123456789012345',
    barcodeSvg: '<svg xmlns="http://www.w3.org/2000/svg"/>',
    amount: totals.total,
    expiresAt: '2026-12-01T09:00:00.000Z',
  };
  const base = { orderId, customerId };
  const shipment = (status: 'dispatched' | 'in_transit' | 'delivered') => ({
    shipmentId: newId(),
    ...base,
    trackingNumber: 'TH0000000042',
    courier: 'Flash',
    option: 'standard' as const,
    status,
    changedAt: now,
  });
  // Payment's events may leave the customer out: notification then knows it from OrderPlaced.
  const payment = (state: 'pending' | 'completed') => ({
    orderId,
    paymentId,
    method: 'counter' as const,
    state,
    amount: totals.total,
    card: null,
    slip,
    reason: null,
    changedAt: now,
  });
  return {
    orderId,
    slip,
    placed: {
      ...base,
      lines,
      totals,
      shippingAddress,
      shippingOption: 'standard' as const,
      paymentMethod: 'card' as const,
      placedAt: now,
    },
    approved: { ...base, lines, totals, shippingAddress, shippingOption: 'standard' as const, approvedAt: now },
    payment,
    shipment,
    cancelled: { ...base, cancelledBy: 'customer' as const, cancelledAt: now },
    rejected: { ...base, reason: 'OUT_OF_STOCK' as const, rejectedAt: now },
  };
}

beforeAll(async () => {
  identity = await startStandInIdentity(client);
  issuer = await createTestIssuer();
  smtp = await startTestSmtpServer();
  mailbox = await startShop();
  viaSmtp = await startShop(smtp.url);
});

afterAll(async () => {
  await stopShop(mailbox);
  await stopShop(viaSmtp);
  await smtp.close();
  await identity.close();
});

describe('notification: the local mailbox', () => {
  it('sends one mail per event kind, addressed from identity, in text and HTML', async () => {
    const who = customer();
    const paid = order(who.id);
    await publish(mailbox, OrderPlaced, paid.placed);
    await publish(mailbox, PaymentStatusChanged, paid.payment('pending'));
    await publish(mailbox, PaymentStatusChanged, paid.payment('completed'));
    await publish(mailbox, OrderApproved, paid.approved);
    await publish(mailbox, ShipmentStatusChanged, paid.shipment('dispatched'));
    await publish(mailbox, ShipmentStatusChanged, paid.shipment('in_transit'));
    await publish(mailbox, ShipmentStatusChanged, paid.shipment('delivered'));
    const cancelled = order(who.id);
    await publish(mailbox, OrderPlaced, cancelled.placed);
    await publish(mailbox, OrderCancelled, cancelled.cancelled);
    const rejected = order(who.id);
    await publish(mailbox, OrderRejected, rejected.rejected);

    const mails = await mailsTo(mailbox, who.email, 7);
    expect(mails.map((mail) => mail.kind).sort()).toEqual(
      ['cancelled', 'delivered', 'order-confirmed', 'pay-slip', 'payment-received', 'rejected', 'shipped'].sort(),
    );
    expect(mails.every((mail) => mail.to === who.email && mail.delivery === 'mailbox')).toBe(true);
    const slip = mails.find((mail) => mail.kind === 'pay-slip')!;
    expect(slip.text).toContain(paid.slip.paymentCode);
    expect(slip.text).toContain('฿3,050.00');
    expect(slip.text).toContain(paid.slip.expiresAt);
    expect(slip.html).toContain(paid.slip.paymentCode);
    // The customer's name is escaped in the HTML, never markup.
    expect(slip.html).toContain('Somchai &lt;Jaidee&gt;');
    expect(slip.html).not.toContain('<Jaidee>');
    expect(mails.find((mail) => mail.kind === 'shipped')!.text).toContain('TH0000000042');
    expect(mails.find((mail) => mail.kind === 'cancelled')!.orderId).toBe(cancelled.orderId);

    const headers = { authorization: `Bearer ${await issuer.tokenFor({ sub: newId(), roles: ['admin'] })}` };
    const one = await mailbox.app.inject({ url: `/admin/mailbox/${slip.id}`, headers });
    expect(one.json()).toMatchObject({ id: slip.id, kind: 'pay-slip', subject: slip.subject });
    const missing = await mailbox.app.inject({ url: `/admin/mailbox/${newId()}`, headers });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOTIFICATION_MAIL_NOT_FOUND' });
    // One machine token, reused for every address asked.
    expect(identity.tokensIssued()).toBe(1);
  });

  it('sends one mail for an event delivered twice', async () => {
    const who = customer();
    const placed = order(who.id);
    await publish(mailbox, OrderPlaced, placed.placed);
    const envelope = {
      specversion: '1.0' as const,
      id: newId(),
      source: '/talad/ordering',
      type: OrderApproved.type,
      time: new Date().toISOString(),
      subject: placed.orderId,
      datacontenttype: 'application/json' as const,
      data: placed.approved,
    };
    // The same message twice, as a broker redelivers or a relay republishes after a crash.
    for (let copy = 0; copy < 2; copy++) {
      await mailbox.transport.publish([
        { id: newId(), topic: 'ordering.events', key: placed.orderId, body: encodeEnvelope(envelope) },
      ]);
    }
    await publish(mailbox, OrderCancelled, placed.cancelled);
    const mails = await mailsTo(mailbox, who.email, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await mailsTo(mailbox, who.email, 2)).map((mail) => mail.kind).sort()).toEqual([
      'cancelled',
      'order-confirmed',
    ]);
    expect(mails).toHaveLength(2);
  });

  it('lists mails for operators only, and refuses a bad filter with 400', async () => {
    const customerHeaders = { authorization: `Bearer ${await issuer.tokenFor({ sub: newId(), roles: ['customer'] })}` };
    expect((await mailbox.app.inject({ url: '/admin/mailbox', headers: customerHeaders })).statusCode).toBe(403);
    const adminHeaders = { authorization: `Bearer ${await issuer.tokenFor({ sub: newId(), roles: ['admin'] })}` };
    const bad = await mailbox.app.inject({ url: '/admin/mailbox?limit=100000', headers: adminHeaders });
    expect(bad.statusCode).toBe(400);
  });
});

describe('notification: through SMTP', () => {
  it('hands each mail to the SMTP server as text and HTML, and records it as sent', async () => {
    const who = customer();
    const shipped = order(who.id);
    await publish(viaSmtp, OrderPlaced, shipped.placed);
    await publish(viaSmtp, ShipmentStatusChanged, shipped.shipment('dispatched'));
    const [mail] = await mailsTo(viaSmtp, who.email, 1);
    expect(mail).toMatchObject({ kind: 'shipped', delivery: 'smtp' });
    const sent = smtp.mails.filter((candidate) => candidate.to.includes(who.email));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.from).toBe('orders@talad.test');
    expect(sent[0]!.data).toContain('Content-Type: multipart/alternative');
    expect(sent[0]!.data).toContain('Content-Type: text/plain; charset=utf-8');
    expect(sent[0]!.data).toContain('Content-Type: text/html; charset=utf-8');
    const parts = [...sent[0]!.data.matchAll(/base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n(?:--|$)/g)].map((match) =>
      Buffer.from(match[1]!.replaceAll('\r\n', ''), 'base64').toString(),
    );
    expect(parts[0]).toContain('TH0000000042');
    expect(parts[1]).toContain('<p>');
    expect(smtp.commands).toContain(`AUTH PLAIN ${Buffer.from('\0user\0secret').toString('base64')}`);
  });
});
