import { Counter, Histogram, type Registry } from '@talad/service';

/** The saga metrics of one service instance, registered on its Prometheus registry. */
export interface SagaMetrics {
  readonly started: Counter<'saga'>;
  readonly completed: Counter<'saga' | 'outcome'>;
  readonly stepDuration: Histogram<'saga' | 'step' | 'phase'>;
}

/**
 * Creates (or, when the registry already has them, reuses) the saga metrics. They are counted as the
 * transition is written, inside its transaction: a transaction that then fails to commit counts once
 * too many, which these operational counters tolerate.
 */
export function createSagaMetrics(registry: Registry): SagaMetrics {
  const reuse = <T>(name: string, create: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? create();
  const registers = [registry];
  return {
    started: reuse(
      'saga_started_total',
      () =>
        new Counter({ name: 'saga_started_total', help: 'Saga instances started.', labelNames: ['saga'], registers }),
    ),
    completed: reuse(
      'saga_completed_total',
      () =>
        new Counter({
          name: 'saga_completed_total',
          help: 'Saga instances ended, by outcome: completed, or compensated (failed, timed out or aborted, then undone).',
          labelNames: ['saga', 'outcome'],
          registers,
        }),
    ),
    stepDuration: reuse(
      'saga_step_duration_seconds',
      () =>
        new Histogram({
          name: 'saga_step_duration_seconds',
          help: 'Time from sending a step command (or compensation) to accepting its reply.',
          labelNames: ['saga', 'step', 'phase'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
          registers,
        }),
    ),
  };
}
