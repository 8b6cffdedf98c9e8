/**
 * Debian's Chromium driven by playwright-core, for the storefront's browser tests and benchmark. Tests
 * skip, saying why, when Chromium is not installed; under CI=true a skip fails the run.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can (printed once). */
export function chromiumSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
  process.stderr.write(`storefront browser tests: ${reason}, so they are skipped\n`);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  // As root (CI, containers) Chromium refuses to start with its sandbox on.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Everything the page logs as an error, and every uncaught exception, for a test to assert none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    // A failed resource load says only "Failed to load resource"; the location names what failed.
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

/** The folder a run saves its screenshots in: SCREENSHOTS_DIR, or a new one under the temp dir. */
export async function screenshotFolder(label: string): Promise<string> {
  const dir =
    process.env['SCREENSHOTS_DIR'] ??
    join(tmpdir(), `talad-${label}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(dir, { recursive: true });
  process.stdout.write(`storefront screenshots: ${dir}\n`);
  return dir;
}
