/** The faults the simulator injects into `/v1` calls; changeable at runtime through `PUT /admin/faults`. */
export interface Faults {
  /** Added before every `/v1` call is handled. */
  latencyMs: number;
  /** Share of `/v1` calls (0..1) answered 503 without acting. */
  failureRate: number;
  /** How long authorizing the slow test card takes. */
  slowCardDelayMs: number;
}

export const DEFAULT_FAULTS: Faults = { latencyMs: 0, failureRate: 0, slowCardDelayMs: 10_000 };
