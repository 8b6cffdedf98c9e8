import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, postgresDirOf, runningTalad } from './data-dir.ts';
import { stopLeftoverPostgres } from './embedded-postgres.ts';
import { print, printError } from './output.ts';

/**
 * `talad stop`: asks the `talad up` running on this data dir to stop (as Ctrl-C would) and waits for
 * it; or, if talad is gone but left PostgreSQL running (it was killed with SIGKILL), stops that.
 */
export async function stop(dataDir: string): Promise<number> {
  const pid = runningTalad(dataDir);
  if (pid !== undefined) {
    print(`Stopping talad (pid ${pid})…`);
    process.kill(pid, 'SIGTERM');
    // Its own limits (15s per service, 30s for PostgreSQL) bound how long this can take.
    const deadline = Date.now() + 120_000;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) {
      printError(`talad (pid ${pid}) is still running after 2 minutes.`);
      return 1;
    }
    print('Stopped.');
    return 0;
  }
  const leftover = await stopLeftoverPostgres(postgresDirOf(dataDir));
  print(
    leftover === undefined
      ? 'Talad is not running.'
      : `Stopped a PostgreSQL (pid ${leftover}) left running by an earlier talad.`,
  );
  return 0;
}
