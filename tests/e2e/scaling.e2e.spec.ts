import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../support/process-tree.ts';
import { makeDataDir, projectRoot, removeDataDir, startSystem, type RunningSystem } from '../support/system.ts';

// Its own ports, so it never collides with a running shop or another whole-system test.
const PORT_OFFSET = 1_900;
let dataDir: string;
let system: RunningSystem | undefined;

beforeAll(async () => {
  dataDir = await makeDataDir('talad-scaling-e2e-');
  system = await startSystem({ dataDir, portOffset: PORT_OFFSET, scale: { catalog: 2 } });
});

afterAll(async () => {
  if (system?.process.exitCode === null) await system.stop('SIGTERM');
  await removeDataDir(dataDir);
});

function running(): RunningSystem {
  if (!system) throw new Error('the system did not start');
  return system;
}

interface Answer {
  status: number | string;
  servedBy: string | null;
  /** When the request was sent, in performance.now() time. */
  sentAt: number;
}

/**
 * A search through the gateway. Each asks for a word of its own, so the gateway's cache answers none
 * of them and every one reaches a catalog instance.
 */
let searches = 0;
async function search(): Promise<Answer> {
  const sentAt = performance.now();
  try {
    const response = await fetch(`${running().gatewayUrl}/api/catalog/products?q=sneaker${searches++}&pageSize=5`);
    await response.arrayBuffer();
    return { status: response.status, servedBy: response.headers.get('x-served-by'), sentAt };
  } catch (error) {
    return { status: (error as Error).message, servedBy: null, sentAt };
  }
}

/**
 * Steady search load from a few clients until stopped, well under the gateway's per-address limit
 * (200/s), so every answer that is not 200 is the system's doing.
 */
function steadyLoad(clients = 4, pauseMs = 40): { answers: Answer[]; stop(): Promise<void> } {
  const answers: Answer[] = [];
  let stopped = false;
  const client = async (): Promise<void> => {
    while (!stopped) {
      answers.push(await search());
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const all = Promise.all(Array.from({ length: clients }, client));
  return {
    answers,
    async stop() {
      stopped = true;
      await all;
    },
  };
}

async function waitUntil(what: string, done: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function taladStatus(): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['tools/talad/src/main.ts', 'status', '--data-dir', dataDir],
      { cwd: projectRoot, timeout: 30_000 },
      (_error, stdout) => resolve(stdout),
    );
  });
}

describe('npm start -- --scale catalog=2', () => {
  it('runs two catalog instances, each registered, and talad status lists both', async () => {
    const status = await taladStatus();
    expect(status).toMatch(/catalog#1\s+http:\/\/127\.0\.0\.1:\d+\s+ready, registered/);
    expect(status).toMatch(/catalog#2\s+http:\/\/127\.0\.0\.1:\d+\s+ready, registered/);
    expect(running().pidOf('catalog-1')).toBeDefined();
    expect(running().pidOf('catalog-2')).toBeDefined();
  });

  it('spreads searches through the gateway over both instances', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 20; i++) answers.push(await search());
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    expect(new Set(answers.map((answer) => answer.servedBy))).toEqual(new Set(['catalog-1', 'catalog-2']));
  });

  it('loses no search while one instance deregisters and drains after SIGTERM', async () => {
    const pid = running().pidOf('catalog-2');
    if (pid === undefined) throw new Error('catalog-2 is not running');
    const load = steadyLoad();
    await waitUntil('the load has started on both', () => new Set(load.answers.map((a) => a.servedBy)).size === 2);

    process.kill(pid, 'SIGTERM');
    await waitUntil('catalog-2 has exited', () => !isAlive(pid));
    const exitedAt = performance.now();
    // Keep the load on for a while after it went, then stop it.
    await waitUntil('searches went on after catalog-2 exited', () =>
      load.answers.some((answer) => answer.sentAt > exitedAt + 500),
    );
    await load.stop();

    const failed = load.answers.filter((answer) => answer.status !== 200);
    expect(failed).toEqual([]);
    // The survivor took the load: answers sent after catalog-2 exited came from catalog-1, at least
    // until talad restarted catalog-2.
    const afterExit = load.answers.filter((answer) => answer.sentAt > exitedAt);
    expect(afterExit.length).toBeGreaterThan(0);
    expect(afterExit[0]?.servedBy).toBe('catalog-1');

    // It left gracefully, in order: out of the registry first, then drained and stopped.
    const lines = running()
      .output()
      .split('\n')
      .filter((line) => line.includes('"instance":"catalog-2"'))
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    const lastShutdown = lines.lastIndexOf('shutting down');
    expect(lastShutdown).toBeGreaterThanOrEqual(0);
    expect(lines.slice(lastShutdown)).toEqual(expect.arrayContaining(['deregistered', 'stopped']));
    expect(lines.indexOf('deregistered', lastShutdown)).toBeLessThan(lines.indexOf('stopped', lastShutdown));
    expect(running().output()).toMatch(/catalog#2 exited with code 0; restarting/);
  });
});
