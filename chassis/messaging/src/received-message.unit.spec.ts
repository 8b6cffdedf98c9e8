import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { defineMessage } from './message-definition.ts';
import type { ReceivedMessage } from './received-message.ts';

const OrderPlaced = defineMessage({
  type: 'ordering.OrderPlaced.v1',
  kind: 'event',
  schema: z.object({ orderId: z.string(), lines: z.int() }),
});
const OrderCancelled = defineMessage({
  type: 'ordering.OrderCancelled.v1',
  kind: 'event',
  schema: z.object({ orderId: z.string(), reason: z.enum(['customer', 'payment']) }),
});

describe('received messages', () => {
  it('keep the literal type and kind of their definitions', () => {
    expectTypeOf(OrderPlaced.type).toEqualTypeOf<'ordering.OrderPlaced.v1'>();
    expectTypeOf(OrderCancelled.kind).toEqualTypeOf<'event'>();
  });

  it('narrow their data by type, so a switch over the subscribed types is checked', () => {
    const handle = (message: ReceivedMessage<typeof OrderPlaced | typeof OrderCancelled>): void => {
      if (message.type === 'ordering.OrderPlaced.v1') {
        expectTypeOf(message.data).toEqualTypeOf<{ orderId: string; lines: number }>();
      } else {
        expectTypeOf(message.type).toEqualTypeOf<'ordering.OrderCancelled.v1'>();
        expectTypeOf(message.data.reason).toEqualTypeOf<'customer' | 'payment'>();
      }
    };
    expectTypeOf(handle).parameter(0).toHaveProperty('correlationId').toEqualTypeOf<string | undefined>();
  });
});
