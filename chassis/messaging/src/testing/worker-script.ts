import { fileURLToPath } from 'node:url';

/** Path of the standalone worker (worker.ts), to spawn with `process.execPath` in crash scenarios. */
export const workerScript = fileURLToPath(new URL('./worker.ts', import.meta.url));
