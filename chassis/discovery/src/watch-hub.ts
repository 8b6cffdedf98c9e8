import type { InstanceWatch } from './discovery.ts';
import { sameInstances, type ServiceInstance } from './instance.ts';

export interface WatchHubOptions {
  /** Reads the instances of one name; may ask to be read again sooner (when the next one expires). */
  load(name: string): Promise<{ instances: ServiceInstance[]; refreshInMs?: number }>;
  /** Read again at least this often, whatever else happens: the backstop for missed notifications. */
  refreshIntervalMs: number;
  onError(error: unknown, name: string): void;
}

/** Follows names for a registry: one reader per name however many watchers, listeners told only of changes. */
export interface WatchHub {
  watch(name: string, onChange: (instances: readonly ServiceInstance[]) => void): InstanceWatch;
  /** Re-reads `name` now, if anyone follows it (on a change notification). */
  refresh(name: string): void;
  refreshAll(): void;
  close(): void;
}

interface Followed {
  readonly name: string;
  readonly listeners: Set<(instances: readonly ServiceInstance[]) => void>;
  current: readonly ServiceInstance[];
  attempted: boolean;
  readonly ready: Promise<readonly ServiceInstance[]>;
  settle: (instances: readonly ServiceInstance[]) => void;
  timer: NodeJS.Timeout | undefined;
  loading: boolean;
  /** A notification arrived while loading: what was read may predate it, so read once more. */
  again: boolean;
}

export function createWatchHub(options: WatchHubOptions): WatchHub {
  const followed = new Map<string, Followed>();
  let closed = false;

  const load = async (entry: Followed): Promise<void> => {
    if (entry.loading) {
      entry.again = true;
      return;
    }
    entry.loading = true;
    clearTimeout(entry.timer);
    let nextInMs = options.refreshIntervalMs;
    try {
      const { instances, refreshInMs } = await options.load(entry.name);
      if (refreshInMs !== undefined) nextInMs = Math.min(nextInMs, Math.max(refreshInMs, 10));
      if (!entry.attempted || !sameInstances(entry.current, instances)) {
        entry.current = instances;
        for (const listener of entry.listeners) notify(listener, instances, entry.name);
      }
    } catch (error) {
      // The last good list stays: a registry outage must not make every instance vanish.
      options.onError(error, entry.name);
    } finally {
      entry.loading = false;
      if (!entry.attempted) {
        entry.attempted = true;
        entry.settle(entry.current);
      }
    }
    if (closed || followed.get(entry.name) !== entry) return;
    if (entry.again) {
      entry.again = false;
      void load(entry);
      return;
    }
    entry.timer = setTimeout(() => void load(entry), nextInMs);
    entry.timer.unref();
  };

  const notify = (
    listener: (instances: readonly ServiceInstance[]) => void,
    instances: readonly ServiceInstance[],
    name: string,
  ): void => {
    try {
      listener(instances);
    } catch (error) {
      options.onError(error, name);
    }
  };

  return {
    watch(name, onChange) {
      let entry = followed.get(name);
      if (!entry) {
        let settle: (instances: readonly ServiceInstance[]) => void = () => undefined;
        const ready = new Promise<readonly ServiceInstance[]>((resolve) => (settle = resolve));
        entry = {
          name,
          listeners: new Set(),
          current: [],
          attempted: false,
          ready,
          settle,
          timer: undefined,
          loading: false,
          again: false,
        };
        followed.set(name, entry);
        void load(entry);
      } else if (entry.attempted) {
        const known = entry;
        queueMicrotask(() => {
          if (known.listeners.has(onChange)) notify(onChange, known.current, name);
        });
      }
      const listener = onChange;
      entry.listeners.add(listener);
      const own = entry;
      return {
        get current() {
          return own.current;
        },
        ready: own.ready,
        close() {
          own.listeners.delete(listener);
          if (own.listeners.size === 0 && followed.get(name) === own) {
            clearTimeout(own.timer);
            followed.delete(name);
          }
        },
      };
    },
    refresh(name) {
      const entry = followed.get(name);
      if (entry) void load(entry);
    },
    refreshAll() {
      for (const entry of followed.values()) void load(entry);
    },
    close() {
      closed = true;
      for (const entry of followed.values()) clearTimeout(entry.timer);
      followed.clear();
    },
  };
}
