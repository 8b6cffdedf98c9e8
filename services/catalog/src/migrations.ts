import { fileURLToPath } from 'node:url';

/** The catalog's plain-SQL migrations, for `migrate(pool, migrationsDirectory)` from `@talad/pg`. */
export const migrationsDirectory = fileURLToPath(new URL('../migrations', import.meta.url));
