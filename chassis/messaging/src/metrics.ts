import { Counter, Gauge, Histogram, type Registry } from '@talad/service';

/** The messaging metrics of one service instance, registered on its Prometheus registry. */
export interface MessagingMetrics {
  readonly published: Counter<'topic' | 'type'>;
  readonly consumed: Counter<'group' | 'type' | 'outcome'>;
  readonly retried: Counter<'group' | 'type'>;
  readonly deadLettered: Counter<'group' | 'type' | 'failure'>;
  readonly handlerDuration: Histogram<'group' | 'type'>;
  readonly relayActive: Gauge;
}

export interface OutboxGauges {
  /** Called on every scrape; a failed query leaves the previous values. */
  read(): Promise<{ depth: number; lagSeconds: number }>;
}

/**
 * Creates (or, when the registry already has them, reuses) the messaging metrics. The outbox depth
 * and relay lag are read from the database on scrape, so every instance reports them, not only the
 * one whose relay is active.
 */
export function createMessagingMetrics(registry: Registry, outbox: OutboxGauges): MessagingMetrics {
  const reuse = <T>(name: string, create: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? create();
  const registers = [registry];
  reuse(
    'messaging_outbox_depth',
    () =>
      new Gauge({
        name: 'messaging_outbox_depth',
        help: 'Messages in the outbox not yet published.',
        registers,
        async collect() {
          const read = await outbox.read().catch(() => undefined);
          if (read) this.set(read.depth);
        },
      }),
  );
  reuse(
    'messaging_relay_lag_seconds',
    () =>
      new Gauge({
        name: 'messaging_relay_lag_seconds',
        help: 'Age of the oldest message in the outbox not yet published; 0 when the outbox is drained.',
        registers,
        async collect() {
          const read = await outbox.read().catch(() => undefined);
          if (read) this.set(read.lagSeconds);
        },
      }),
  );
  return {
    published: reuse(
      'messaging_published_total',
      () =>
        new Counter({
          name: 'messaging_published_total',
          help: 'Messages the relay published and the broker confirmed, by topic and type.',
          labelNames: ['topic', 'type'],
          registers,
        }),
    ),
    consumed: reuse(
      'messaging_consumed_total',
      () =>
        new Counter({
          name: 'messaging_consumed_total',
          help: 'Messages taken from the broker, by outcome: handled, duplicate (dropped by the inbox), ignored (a type not subscribed to), dead-lettered.',
          labelNames: ['group', 'type', 'outcome'],
          registers,
        }),
    ),
    retried: reuse(
      'messaging_retried_total',
      () =>
        new Counter({
          name: 'messaging_retried_total',
          help: 'Handler attempts that failed and were retried.',
          labelNames: ['group', 'type'],
          registers,
        }),
    ),
    deadLettered: reuse(
      'messaging_dead_lettered_total',
      () =>
        new Counter({
          name: 'messaging_dead_lettered_total',
          help: 'Messages written to the dead-letter store, by failure.',
          labelNames: ['group', 'type', 'failure'],
          registers,
        }),
    ),
    handlerDuration: reuse(
      'messaging_handler_duration_seconds',
      () =>
        new Histogram({
          name: 'messaging_handler_duration_seconds',
          help: 'Time to handle one message, inbox and commit included, retries excluded.',
          labelNames: ['group', 'type'],
          buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
          registers,
        }),
    ),
    relayActive: reuse(
      'messaging_relay_active',
      () =>
        new Gauge({
          name: 'messaging_relay_active',
          help: '1 while this instance runs the outbox relay (holds its lock), else 0.',
          registers,
        }),
    ),
  };
}
