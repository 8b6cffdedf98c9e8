/**
 * The storefront as a first-time visitor meets it: the gzipped JavaScript and CSS the first visit loads
 * (budget: JS ≤ 150 KB), and the time from opening `/?q=nmd` in headless Chromium (cold cache, new
 * profile) until the results are visible, beside the time of the same search's API call alone.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromiumSkipReason, launchChromium } from '../tests/browser/browser.ts';
import { makeDataDir, projectRoot, removeDataDir, startSystem } from '../tests/support/system.ts';

const PORT_OFFSET = 3_500;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const JS_BUDGET_KB = 150;
const DIST = join(projectRoot, 'web', 'storefront', 'dist');

function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const kb = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;

export async function run(): Promise<void> {
  const skip = chromiumSkipReason();
  if (skip) throw new Error(`the storefront benchmark needs Chromium: ${skip}`);
  const dataDir = await makeDataDir('talad-bench-storefront-');
  const system = await startSystem({ dataDir, portOffset: PORT_OFFSET, env: { GATEWAY_RATE_LIMITS: 'off' } });
  const browser = await launchChromium();
  try {
    const url = `${system.gatewayUrl}/?q=nmd`;
    const sizes = { js: 0, css: 0 };
    const visible: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const assets = new Set<string>();
      page.on('request', (request) => {
        const type = request.resourceType();
        if (type === 'script' || type === 'stylesheet') assets.add(new URL(request.url()).pathname);
      });
      const started = performance.now();
      await page.goto(url);
      await page.getByTestId('results').getByRole('link').first().waitFor({ state: 'visible' });
      const elapsed = performance.now() - started;
      await context.close();
      // Round 0 warms the server (first queries, module compilation); it measures the sizes only.
      if (round === 0) {
        for (const path of assets) {
          const bytes = gzipSync(await readFile(join(DIST, path)), { level: 9 }).length;
          if (path.endsWith('.css')) sizes.css += bytes;
          else sizes.js += bytes;
        }
        say(`first visit loads ${assets.size} script and style files`);
        continue;
      }
      visible.push(elapsed);
      say(`round ${round}/${ROUNDS}: results visible after ${elapsed.toFixed(0)} ms`);
    }

    const api: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      const response = await fetch(`${system.gatewayUrl}/api/catalog/products?q=nmd&sort=relevance&page=1&pageSize=24`);
      await response.json();
      api.push(performance.now() - started);
    }

    const result = {
      bench: 'storefront',
      js_gzip_kb: kb(sizes.js),
      css_gzip_kb: kb(sizes.css),
      search_visible_ms: Math.round(median(visible)),
      search_api_ms: Math.round(median(api) * 10) / 10,
      js_budget_kb: JS_BUDGET_KB,
      within_budget: kb(sizes.js) <= JS_BUDGET_KB,
    };
    say('');
    say(`JS ${result.js_gzip_kb} KB gzipped (budget ${JS_BUDGET_KB} KB), CSS ${result.css_gzip_kb} KB gzipped`);
    say(
      `search results visible after ${result.search_visible_ms} ms (median); the API call alone ${result.search_api_ms} ms`,
    );
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await browser.close();
    await system.stop('SIGTERM');
    await removeDataDir(dataDir);
  }
}
