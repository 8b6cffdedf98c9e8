/**
 * One whole system and one Chromium for a browser test file: started as `npm start` starts the shop,
 * on the file's own ports, with screenshots going to the folder printed at the start. Each shopper
 * gets a fresh browser context (their own storage: a new person), watched for console errors.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
import { signIn, type AdminClient } from '../../tools/talad/src/admin-client.ts';
import { makeDataDir, removeDataDir, startSystem, type RunningSystem } from '../support/system.ts';
import { launchChromium, screenshotFolder, watchConsole } from './browser.ts';
import { Shopper } from './shopper.ts';

export interface BrowserShop {
  readonly system: RunningSystem;
  readonly gatewayUrl: string;
  readonly dataDir: string;
  newShopper(prefix: string, options?: BrowserContextOptions): Promise<ShopperSession>;
  /** The `talad-admin` machine client, signed in through the gateway (stock changes and the like). */
  admin(): Promise<AdminClient>;
  close(): Promise<void>;
}

export interface ShopperSession {
  readonly shopper: Shopper;
  readonly page: Page;
  /** Console errors and uncaught exceptions of the page, for the test to assert there were none. */
  readonly errors: string[];
}

export async function startBrowserShop(label: string, portOffset: number): Promise<BrowserShop> {
  const screenshots = await screenshotFolder(label);
  const dataDir = await makeDataDir(`talad-${label}-`);
  let system: RunningSystem | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    if (system?.process.exitCode === null) await system.stop('SIGTERM');
    await removeDataDir(dataDir);
  };
  try {
    [system, browser] = await Promise.all([startSystem({ dataDir, portOffset }), launchChromium()]);
  } catch (error) {
    await close();
    throw error;
  }
  const running = system;
  const chromium = browser;
  return {
    system: running,
    gatewayUrl: running.gatewayUrl,
    dataDir,
    async newShopper(prefix, options = {}) {
      const context = await chromium.newContext({ viewport: { width: 1280, height: 900 }, ...options });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const errors = watchConsole(page);
      const shopper = new Shopper(page, screenshots, prefix);
      // What the page showed when a step gave up is most of the story of a failed browser test.
      onTestFailed(async () => {
        await shopper.screenshot('failure').catch(() => undefined);
        process.stderr.write(`${prefix}: the page at the failure is ${join(screenshots, `${prefix}-failure.png`)}\n`);
      });
      return { shopper, page, errors };
    },
    async admin() {
      const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as {
        services: Record<string, Record<string, string>>;
      };
      const clientSecret = secrets.services['identity']?.['ADMIN_CLIENT_SECRET'];
      if (!clientSecret) throw new Error('secrets.json holds no ADMIN_CLIENT_SECRET for identity');
      return signIn(running.gatewayUrl, { clientId: 'talad-admin', clientSecret });
    },
    close,
  };
}
