/**
 * The load generator, run as its own process so it does not share an event loop with what it measures.
 * Input: one JSON argument `{ origin, paths, connections, durationSeconds }`.
 * Output: one JSON line `{ rps, p50_ms, p99_ms, errors, non2xx }`.
 */
import autocannon from 'autocannon';

interface LoadSpec {
  origin: string;
  paths: string[];
  connections: number;
  durationSeconds: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
let next = 0;
const result = await autocannon({
  url: spec.origin,
  connections: spec.connections,
  duration: spec.durationSeconds,
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
});
process.stdout.write(
  `${JSON.stringify({
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  })}\n`,
);
