import type { Reporter, TestCase, TestModule } from 'vitest/node';

/** Every transport the conformance and crash suites must run on (their suites' names). */
export const TRANSPORTS = ['the PostgreSQL message log', 'RabbitMQ', 'NATS JetStream'] as const;

const SUITE = /^(messaging conformance|processes killed mid-stream) on (.+?)(?: \(skipped: (.+)\))?$/;

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  reasons: Set<string>;
}

/**
 * Reporter for `npm run test:conformance`: ends the run with a line per transport saying whether its
 * conformance and crash suites ran (and how they went) or why they were skipped, and under `CI=true`
 * fails the run if any transport did not run in full, even if its suites were never collected.
 */
export default class TransportReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const tallies = new Map<string, Map<string, Tally>>();
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const match = SUITE.exec(outermostSuite(test) ?? '');
        if (!match) continue;
        const [, suite = '', transport = '', reason] = match;
        const bySuite = tallies.get(transport) ?? new Map<string, Tally>();
        tallies.set(transport, bySuite);
        const tally = bySuite.get(suite) ?? { passed: 0, failed: 0, skipped: 0, reasons: new Set<string>() };
        bySuite.set(suite, tally);
        const state = test.result().state;
        if (state === 'passed') tally.passed += 1;
        else if (state === 'failed') tally.failed += 1;
        else tally.skipped += 1;
        if (reason) tally.reasons.add(reason);
      }
    }

    const incomplete: string[] = [];
    const lines = TRANSPORTS.map((transport) => {
      const bySuite = tallies.get(transport);
      if (!bySuite) {
        incomplete.push(transport);
        return `  ${transport}: did not run (no suite collected)`;
      }
      const parts = [...bySuite].map(([suite, tally]) => {
        if (tally.skipped > 0) incomplete.push(transport);
        const reasons = tally.reasons.size > 0 ? ` (${[...tally.reasons].join('; ')})` : '';
        return `${suite}: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped${reasons}`;
      });
      return `  ${transport}: ${parts.join(' · ')}`;
    });
    process.stdout.write(`\nMessaging transports:\n${lines.join('\n')}\n`);
    const missing = [...new Set(incomplete)];
    if (missing.length > 0 && process.env['CI'] === 'true') {
      process.stdout.write(`CI=true and these transports did not run in full: ${missing.join(', ')}\n`);
      process.exitCode = 1;
    }
  }
}

function outermostSuite(test: TestCase): string | undefined {
  let name: string | undefined;
  for (let parent = test.parent; parent.type === 'suite'; parent = parent.parent) name = parent.name;
  return name;
}
