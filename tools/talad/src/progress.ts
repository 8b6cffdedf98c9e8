import type { Output } from './output.ts';

/** "0.3s", "12.5s", "40ms": one decimal is enough to see what got slower. */
export function formatDuration(ms: number): string {
  if (ms < 100) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1).replace(/\.0$/, '')}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1_000);
  return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
}

export interface Step {
  /** Marks the step done; `text` replaces the step's label when given ("catalog migrated: 2 applied"). */
  done(text?: string): void;
  fail(text: string): void;
}

/** Boot progress: "… migrating catalog" while it runs, then "✔ catalog migrated (0.2s)". */
export class Progress {
  readonly #output: Output;
  readonly #color: boolean;
  readonly #isCancelled: () => boolean;

  /** `isCancelled`: whether a stop was asked for, which turns a failing step into a cancelled one. */
  constructor(output: Output, color: boolean, isCancelled: () => boolean = () => false) {
    this.#output = output;
    this.#color = color;
    this.#isCancelled = isCancelled;
  }

  start(running: string, doneText: string): Step {
    const started = performance.now();
    const id = this.#output.pending(this.#paint('2', `… ${running}`));
    let finished = false;
    const finish = (mark: string, text: string): void => {
      if (finished) return;
      finished = true;
      this.#output.replace(
        id,
        `${mark} ${text} ${this.#paint('2', `(${formatDuration(performance.now() - started)})`)}`,
      );
    };
    return {
      done: (text = doneText) => finish(this.#paint('32', '✔'), text),
      fail: (text) => finish(this.#paint('31', '✖'), text),
    };
  }

  /**
   * Runs `work` as a step. On failure the line says so: `failed(error)` when given, else "<running>:
   * failed" (or "cancelled" when the failure came from a stop that was asked for).
   */
  async run<T>(
    running: string,
    done: string | ((result: T) => string),
    work: () => Promise<T>,
    failed?: (error: unknown) => string,
  ): Promise<T> {
    const step = this.start(running, typeof done === 'string' ? done : running);
    try {
      const result = await work();
      step.done(typeof done === 'string' ? done : done(result));
      return result;
    } catch (error) {
      step.fail(failed?.(error) ?? `${running}: ${this.#isCancelled() ? 'cancelled' : 'failed'}`);
      throw error;
    }
  }

  info(text: string): void {
    this.#output.line(text);
  }

  error(text: string): void {
    this.#output.line(`${this.#paint('31', '✖')} ${text}`);
  }

  bold(text: string): string {
    return this.#paint('1', text);
  }

  #paint(code: string, text: string): string {
    return this.#color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }
}
