/**
 * CPU time spent by each part of a running system, read from /proc (Linux): the services by instance id,
 * the embedded PostgreSQL's processes together, and any other named processes (a broker run outside the
 * system). A benchmark takes a snapshot before and after its load and prints where the time went, so a
 * figure comes with the part that limits it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { descendantsOf } from '../../tests/support/process-tree.ts';

/** CPU milliseconds by part. */
export type CpuSnapshot = Map<string, number>;

const TICKS_PER_SECOND = 100;

function cpuMillisecondsOf(pid: number): { name: string; ms: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    // Fields after the name: state is the 3rd field of stat, utime the 14th and stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { name, ms: (ticks * 1_000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

function partOf(pid: number, name: string): string {
  try {
    const environment = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    const instance = environment.find((entry) => entry.startsWith('SERVICE_INSTANCE_ID='));
    if (instance) return instance.slice('SERVICE_INSTANCE_ID='.length);
  } catch {
    // Gone, or not ours to read: named by its command instead.
  }
  return name === 'node' ? 'talad' : name;
}

/**
 * CPU time of every process under `rootPid` (the talad that started the system, included), and of every
 * process on the machine whose command is one of `alsoCommands` (e.g. RabbitMQ's `beam.smp`).
 */
export function cpuSnapshot(rootPid: number, alsoCommands: readonly string[] = []): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  const add = (part: string, ms: number): void => void snapshot.set(part, (snapshot.get(part) ?? 0) + ms);
  for (const pid of [rootPid, ...descendantsOf(rootPid)]) {
    const usage = cpuMillisecondsOf(pid);
    if (usage) add(partOf(pid, usage.name), usage.ms);
  }
  if (alsoCommands.length > 0) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const usage = cpuMillisecondsOf(Number(entry));
      if (usage && alsoCommands.includes(usage.name)) add(usage.name, usage.ms);
    }
  }
  const own = process.cpuUsage();
  add('load generator', (own.user + own.system) / 1_000);
  return snapshot;
}

/**
 * CPU milliseconds each part spent between two snapshots, per unit of work (per order), largest first.
 * A process that ended in between is left out; one that started counts from zero.
 */
export function cpuPerUnit(before: CpuSnapshot, after: CpuSnapshot, units: number): Array<[string, number]> {
  return [...after]
    .map(([part, ms]): [string, number] => [part, (ms - (before.get(part) ?? 0)) / units])
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1]);
}

export function formatCpuPerUnit(perUnit: ReadonlyArray<[string, number]>, unit: string): string {
  const total = perUnit.reduce((sum, [, ms]) => sum + ms, 0);
  const parts = perUnit.map(([part, ms]) => `${part} ${ms.toFixed(1)}`).join(', ');
  return `CPU per ${unit}: ${total.toFixed(1)} ms in all (${parts})`;
}
