export { append, type AppendResult } from './append.ts';
export { readStream, type Stream } from './read-stream.ts';
export { readAll, type ReadAllOptions, type ReadAllResult } from './read-all.ts';
export { subscribeToAll, type EventSubscription, type SubscriptionOptions } from './subscription.ts';
export {
  projectBatch,
  catchUp,
  rebuildProjection,
  startProjection,
  checkpointOf,
  type Projection,
  type ProjectionRunOptions,
  type ProjectionRunnerOptions,
} from './projection.ts';
export type { PollLoop } from './poll-loop.ts';
export { START, type EventInput, type RecordedEvent, type RecordedFacts, type GlobalCursor } from './events.ts';
export { ConcurrencyError, DuplicateEventError, EventStoreErrorCode, isConcurrencyError } from './errors.ts';
export { eventStoreMigrationsDirectory, migrateEventStore } from './migrations.ts';
