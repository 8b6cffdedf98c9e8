import { describe, expect, it } from 'vitest';
import { notifiedReaders, notifyChannel, notifyPayload } from './log-consumer.ts';

const concerns = (payload: string, unit: { topic: string; partition: number }): boolean =>
  notifiedReaders(payload)(unit);

describe('message log notifications', () => {
  const reader = { topic: 'ordering.events', partition: 3 };

  it('wake only the readers of the partition that received messages', () => {
    expect(concerns(notifyPayload('ordering.events', 3), reader)).toBe(true);
    expect(concerns(notifyPayload('ordering.events', 4), reader)).toBe(false);
    expect(concerns(notifyPayload('payment.events', 3), reader)).toBe(false);
  });

  it('wake every partition of a topic when the payload names the topic alone', () => {
    expect(concerns('ordering.events', reader)).toBe(true);
    expect(concerns('ordering', reader)).toBe(false);
  });

  it('take the partition after the last separator, so a topic may contain one', () => {
    expect(concerns(notifyPayload('odd|topic', 3), { topic: 'odd|topic', partition: 3 })).toBe(true);
  });

  it('go to a channel of their topic, hashed when the topic is too long for a channel name', () => {
    expect(notifyChannel('ordering.events')).toBe('talad_log:ordering.events');
    expect(notifyChannel('ordering.events')).not.toBe(notifyChannel('payment.events'));
    const long = `${'very-long-service-name.'.repeat(3)}events`;
    expect(Buffer.byteLength(notifyChannel(long))).toBeLessThanOrEqual(63);
    expect(notifyChannel(long)).toBe(notifyChannel(long));
    expect(notifyChannel(long)).not.toBe(notifyChannel(`${long}2`));
  });
});
