import type { UpstreamInstance } from './upstream-instance.ts';

export interface EjectionSettings {
  /** First ejection lasts this long; each further one in a row doubles it… */
  baseMs: number;
  /** …up to this. */
  maxMs: number;
  /** Asked before an ejected instance gets traffic again; any answer below 500 means it is back. */
  probePath: string;
  probeTimeoutMs: number;
}

export const defaultEjectionSettings: EjectionSettings = {
  baseMs: 1_000,
  maxMs: 30_000,
  probePath: '/health/ready',
  probeTimeoutMs: 1_000,
};

/**
 * Passive health checking: an instance that refused a connection, reset one or timed out is taken out
 * of rotation at once, and let back only when a probe of its readiness endpoint answers, tried after a
 * back-off that doubles while it stays down. Real traffic finds failures; probes only confirm recovery.
 */
export interface InstanceHealth {
  eject(instance: UpstreamInstance): void;
  /** A request to an ejected instance succeeded (it was used for lack of others): it is back. */
  recovered(instance: UpstreamInstance): void;
}

export function createInstanceHealth(
  settings: EjectionSettings,
  hooks: { onEject(instance: UpstreamInstance): void; onRecover(instance: UpstreamInstance): void },
): InstanceHealth {
  const probeLater = (instance: UpstreamInstance): void => {
    if (instance.retired) return;
    const backOff = Math.min(settings.baseMs * 2 ** Math.max(0, instance.ejections - 1), settings.maxMs);
    clearTimeout(instance.probe);
    instance.probe = setTimeout(() => void probe(instance), backOff);
    instance.probe.unref();
  };

  const recover = (instance: UpstreamInstance): void => {
    clearTimeout(instance.probe);
    instance.probe = undefined;
    if (!instance.ejected) return;
    instance.ejected = false;
    instance.ejections = 0;
    hooks.onRecover(instance);
  };

  const probe = async (instance: UpstreamInstance): Promise<void> => {
    if (instance.retired || !instance.ejected) return;
    try {
      const answer = await instance.pool.request({
        method: 'GET',
        path: settings.probePath,
        headersTimeout: settings.probeTimeoutMs,
        bodyTimeout: settings.probeTimeoutMs,
      });
      await answer.body.dump();
      if (answer.statusCode < 500) return recover(instance);
    } catch {
      // Still down; the next probe waits longer.
    }
    instance.ejections += 1;
    probeLater(instance);
  };

  return {
    eject(instance) {
      if (instance.ejected || instance.retired) return;
      instance.ejections += 1;
      // Until a probe says otherwise: time alone does not bring an instance back.
      instance.ejected = true;
      hooks.onEject(instance);
      probeLater(instance);
    },
    recovered: recover,
  };
}
