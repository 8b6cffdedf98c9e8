import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends every run with one plain line (`Tests: 12 passed, 0 failed, 1 skipped`) and, under `CI=true`,
 * fails the run when any test skipped: in CI every dependency is installed, so a skip hides a gap.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    const skipped: string[] = [];
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped.push(`${testModule.moduleId}: ${test.fullName}`);
      }
    }
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped.length} skipped\n`);
    if (process.env['CI'] === 'true' && skipped.length > 0) {
      process.stdout.write(
        `CI=true and these tests skipped, which CI does not allow:\n${skipped.map((name) => `  - ${name}`).join('\n')}\n`,
      );
      process.exitCode = 1;
    }
  }
}
