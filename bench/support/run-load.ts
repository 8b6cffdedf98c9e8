import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  /** Microsecond percentiles, from each response's own timing. */
  p50_us?: number;
  p99_us?: number;
  errors: number;
  non2xx: number;
}

/**
 * Runs the load generator in a separate Node process against `origin`, cycling through `paths`; as fast
 * as answers come, or at `overallRate` requests per second in all.
 */
export function runLoad(spec: {
  origin: string;
  paths: string[];
  connections: number;
  durationSeconds: number;
  overallRate?: number;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('./load.ts', import.meta.url)), JSON.stringify(spec)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      resolve(JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as LoadResult);
    });
  });
}
