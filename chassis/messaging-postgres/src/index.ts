export {
  createPostgresTransport,
  type PostgresTransport,
  type PostgresTransportOptions,
} from './postgres-transport.ts';
export type { PostgresConsumer } from './log-consumer.ts';
export { messageLogMigrationsDirectory, prepareMessageLog } from './schema.ts';
export { runRawBaseline, type RawBaselineOptions, type RawBaselineResult } from './raw-baseline.ts';
