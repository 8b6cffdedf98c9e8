/**
 * The load generator, run as its own process so it does not share an event loop with what it measures.
 * Input: one JSON argument `{ origin, paths, connections, durationSeconds, overallRate? }`; with
 * `overallRate` the load is that many requests per second in all, instead of as many as answers allow.
 * Output: one JSON line `{ rps, p50_ms, p99_ms, p50_us, p99_us, errors, non2xx }`; the `_us` figures come
 * from each response's own timing, since autocannon's histogram keeps whole milliseconds.
 */
import autocannon from 'autocannon';

interface LoadSpec {
  origin: string;
  paths: string[];
  connections: number;
  durationSeconds: number;
  overallRate?: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
let next = 0;
const latenciesMs: number[] = [];
const options: autocannon.Options = {
  url: spec.origin,
  connections: spec.connections,
  duration: spec.durationSeconds,
  ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
  requests: [
    {
      // Each request takes the next path in turn, so the whole query mix is exercised.
      setupRequest: (request) => {
        const path = spec.paths[next % spec.paths.length] ?? '/';
        next += 1;
        return { ...request, path };
      },
    },
  ],
};
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const instance = autocannon(options, (error, finished) => (error ? reject(error as Error) : resolve(finished)));
  instance.on('response', (_client, _statusCode, _bytes, responseTimeMs) => latenciesMs.push(responseTimeMs));
});
latenciesMs.sort((a, b) => a - b);
const percentileUs = (share: number): number =>
  Math.round((latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(latenciesMs.length * share))] ?? 0) * 1000);
process.stdout.write(
  `${JSON.stringify({
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    p50_us: percentileUs(0.5),
    p99_us: percentileUs(0.99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  })}\n`,
);
