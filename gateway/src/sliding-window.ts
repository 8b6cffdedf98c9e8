/**
 * Counts outcomes over the last `windowMs`, in a ring of buckets: old buckets fall out as time moves,
 * with no per-event allocation. Shared by the circuit breaker and the retry budget.
 */
export interface SlidingWindow {
  /** Adds to the current bucket: `total` events, of which `marked` were the kind being watched. */
  add(total: number, marked: number): void;
  /** Sums over the window: [all events, marked events]. */
  totals(): { total: number; marked: number };
  reset(): void;
}

export function createSlidingWindow(options: { windowMs: number; buckets?: number; now: () => number }): SlidingWindow {
  const count = options.buckets ?? 10;
  const bucketMs = options.windowMs / count;
  const totals = new Float64Array(count);
  const marked = new Float64Array(count);
  // The absolute bucket number each slot last held; a slot from an older round is stale.
  const epochs = new Float64Array(count).fill(-1);

  const slotFor = (epoch: number): number => {
    const slot = epoch % count;
    if (epochs[slot] !== epoch) {
      epochs[slot] = epoch;
      totals[slot] = 0;
      marked[slot] = 0;
    }
    return slot;
  };

  return {
    add(total, markedCount) {
      const slot = slotFor(Math.floor(options.now() / bucketMs));
      totals[slot] = (totals[slot] ?? 0) + total;
      marked[slot] = (marked[slot] ?? 0) + markedCount;
    },
    totals() {
      const current = Math.floor(options.now() / bucketMs);
      let total = 0;
      let markedTotal = 0;
      for (let slot = 0; slot < count; slot++) {
        const epoch = epochs[slot] ?? -1;
        if (epoch > current - count && epoch <= current) {
          total += totals[slot] ?? 0;
          markedTotal += marked[slot] ?? 0;
        }
      }
      return { total, marked: markedTotal };
    },
    reset() {
      epochs.fill(-1);
    },
  };
}
