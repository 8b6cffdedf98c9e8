import { fileURLToPath } from 'node:url';

/** Order-history's plain-SQL migrations, for `migrate(pool, migrationsDirectory)` from `@talad/pg`. */
export const migrationsDirectory = fileURLToPath(new URL('../migrations', import.meta.url));
