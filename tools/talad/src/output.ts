/**
 * The one place that writes to the terminal. Progress lines and log lines from many processes share
 * the screen; going through one writer is what lets a "… starting" line be replaced by its "✔" line
 * only when nothing else was printed in between.
 */
export interface Sink {
  write(text: string): unknown;
}

export class Output {
  readonly #sink: Sink;
  readonly #interactive: boolean;
  #pendingId = 0;
  /** Id of the replaceable line that is currently the last line on screen, if any. */
  #lastPending: number | undefined;

  /** `interactive`: the sink is a terminal, so the cursor may move back over a line. */
  constructor(sink: Sink, interactive: boolean) {
    this.#sink = sink;
    this.#interactive = interactive;
  }

  line(text: string): void {
    this.#lastPending = undefined;
    this.#sink.write(`${text}\n`);
  }

  /** Prints a line that `replace` may overwrite later; returns its id. */
  pending(text: string): number {
    this.#sink.write(`${text}\n`);
    this.#pendingId += 1;
    this.#lastPending = this.#pendingId;
    return this.#pendingId;
  }

  /** Overwrites the pending line when it is still the last one on screen, else prints a new line. */
  replace(id: number, text: string): void {
    if (this.#interactive && this.#lastPending === id) {
      // Up one line, clear it.
      this.#sink.write('\x1b[1A\x1b[2K');
    }
    this.line(text);
  }
}

/** Plain command output (status, stop, help), for commands without a progress display. */
export const print = (text: string): void => void process.stdout.write(`${text}\n`);
export const printError = (text: string): void => void process.stderr.write(`${text}\n`);
