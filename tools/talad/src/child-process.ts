import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable } from 'node:stream';
import { LineSplitter } from './log-stream.ts';

/**
 * How talad runs Node processes (services and seeds).
 *
 * Each child gets its own process group (`detached`), so the terminal's Ctrl-C reaches only talad,
 * which then stops the services in reverse start order, before PostgreSQL, instead of everything
 * dying at once. The price is that a child would outlive a talad killed with SIGKILL; the orphan
 * guard preloaded into every child (orphan-guard.ts) closes that gap.
 */
const orphanGuard = pathToFileURL(join(import.meta.dirname, 'orphan-guard.ts')).href;

export interface NodeProcessOptions {
  readonly script: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly onLine: (line: string) => void;
}

export function spawnNode(options: NodeProcessOptions): ChildProcess {
  const child = spawn(process.execPath, ['--import', orphanGuard, options.script], {
    cwd: options.cwd,
    env: { ...options.env, TALAD_PARENT_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  forwardLines(child, options.onLine);
  void exited(child);
  return child;
}

/** Sends both output streams, line by line, to `onLine`. */
export function forwardLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    pipeLines(stream, onLine);
  }
}

function pipeLines(stream: Readable, onLine: (line: string) => void): void {
  const splitter = new LineSplitter();
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => splitter.push(chunk).forEach(onLine));
  stream.on('end', () => splitter.end().forEach(onLine));
  // A broken pipe to a dying child is not talad's problem; the exit handler reports the exit.
  stream.on('error', () => undefined);
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export function describeExit(exit: Exit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
}

const exits = new WeakMap<ChildProcess, Promise<Exit>>();

/**
 * Resolves once the process is gone and its output read to the end (or shortly after it is gone,
 * if a grandchild holds the output open). The first call must come right after spawning, before
 * the exit can happen unobserved; spawnNode() and startPostgres() make it.
 */
export function exited(child: ChildProcess): Promise<Exit> {
  let exit = exits.get(child);
  if (exit) return exit;
  exit = new Promise<Exit>((resolve) => {
    // Without an 'error' listener, a failed spawn would crash talad itself.
    child.once('error', () => resolve({ code: null, signal: null }));
    child.once('exit', (code, signal) => {
      const result = { code, signal };
      const timer = setTimeout(() => resolve(result), 500);
      child.once('close', () => {
        clearTimeout(timer);
        resolve(result);
      });
    });
  });
  exits.set(child, exit);
  return exit;
}

/** Signals the child's whole process group, so anything it started goes too. False when the group is gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Asks a child to stop (SIGTERM to its group), waits up to `graceMs`, then kills the group.
 * Resolves once it is gone.
 */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<Exit> {
  const done = exited(child);
  const pid = child.pid;
  if (pid === undefined) return done;
  if (child.exitCode === null && child.signalCode === null) signalGroup(pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signalGroup(pid, 'SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([done, killed]);
  clearTimeout(timer);
  const exit = await done;
  // Leftovers of the group (a grandchild that ignored SIGTERM) must not survive the service.
  signalGroup(pid, 'SIGKILL');
  return exit;
}
