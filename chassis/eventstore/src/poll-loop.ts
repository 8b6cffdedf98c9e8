/** A background loop with a wake-up call, shared by subscriptions and projections. */
export interface PollLoop {
  /** Runs the next round now instead of after the poll interval. */
  wake(): void;
  /** Finishes the round in progress, then stops. */
  stop(): Promise<void>;
}

export interface PollLoopOptions {
  /** One round of work; answers true when there may be more to do at once. */
  round: () => Promise<boolean>;
  pollIntervalMs: number;
  /** A failed round is reported here and tried again after the poll interval. */
  onError: (error: unknown) => void;
}

export function startPollLoop(options: PollLoopOptions): PollLoop {
  let stopped = false;
  let wakeUp: (() => void) | undefined;
  let woken = false;

  const pause = (): Promise<void> =>
    new Promise((resolve) => {
      if (woken || stopped) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, options.pollIntervalMs);
      function done(): void {
        clearTimeout(timer);
        wakeUp = undefined;
        woken = false;
        resolve();
      }
      wakeUp = done;
    });

  const loop = (async () => {
    while (!stopped) {
      let more = false;
      try {
        more = await options.round();
      } catch (error) {
        options.onError(error);
      }
      if (!more) await pause();
    }
  })();

  return {
    wake() {
      woken = true;
      wakeUp?.();
    },
    async stop() {
      stopped = true;
      wakeUp?.();
      await loop;
    },
  };
}
