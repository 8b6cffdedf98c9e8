export {
  cancellationSaga,
  refusalReason,
  DEFAULT_CANCELLATION_TIMINGS,
  type CancellationData,
  type CancellationOutcomes,
  type CancellationTimings,
} from './cancellation-saga.ts';
