export { createPool, pingDatabase, type Pool, type PoolClient, type Queryable, type PoolOptions } from './pool.ts';
export { withTransaction, isTransactionConflict, type TransactionOptions, type IsolationLevel } from './transaction.ts';
export { migrate, loadMigrations, type Migration, type MigrationResult, type MigrateOptions } from './migrations.ts';
