/**
 * `npm run check:invariants` against the whole system, as an operator runs it: a few checkouts end
 * (approved and rejected), then the command, as its own process, prints every invariant as holding.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  availableStock,
  newCustomer,
  placeOrder,
  searchProducts,
  tokenizeCard,
  waitForOrderToEnd,
  type TestCard,
} from '../support/shop-client.ts';
import { makeDataDir, projectRoot, removeDataDir, startSystem, type RunningSystem } from '../support/system.ts';

const PORT_OFFSET = 3_500;
const providerUrl = `http://127.0.0.1:${8201 + PORT_OFFSET}`;
let dataDir: string;
let system: RunningSystem | undefined;

beforeAll(async () => {
  dataDir = await makeDataDir('talad-invariants-');
  system = await startSystem({ dataDir, portOffset: PORT_OFFSET });
});

afterAll(async () => {
  if (system?.process.exitCode === null) await system.stop('SIGTERM');
  await removeDataDir(dataDir);
});

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function checkInvariants(...extra: string[]): Promise<CommandResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['tools/talad/src/main.ts', 'check', '--data-dir', dataDir, '--port-offset', String(PORT_OFFSET), ...extra],
      { cwd: projectRoot, timeout: 120_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('npm run check:invariants', () => {
  it('reports every invariant holding after approved and rejected checkouts', async () => {
    const gatewayUrl = system?.gatewayUrl ?? '';
    const customer = await newCustomer(gatewayUrl, 'invariants');
    const candidates = (await searchProducts(gatewayUrl, 'sneakers', 50)).filter((item) => item.sizes.length > 0);
    const stock = await availableStock(
      gatewayUrl,
      candidates.map((item) => item.id),
    );
    const product = candidates.find((item) => (stock.get(item.id) ?? 0) >= 10);
    if (!product) throw new Error('no well-stocked product with sizes among the search results');

    const cards: TestCard[] = ['success', 'success', 'declined', 'insufficientFunds', 'success'];
    const placed = await Promise.all(
      cards.map(async (card) => {
        const answer = await placeOrder(gatewayUrl, customer, {
          lines: [{ productId: product.id, size: product.sizes[0], quantity: 1 }],
          cardToken: await tokenizeCard(providerUrl, card),
        });
        expect(answer.status).toBe(202);
        return answer.body.orderId;
      }),
    );
    const ended = await Promise.all(placed.map((orderId) => waitForOrderToEnd(gatewayUrl, customer, orderId)));
    expect(ended.map((order) => order.status)).toEqual(['approved', 'approved', 'rejected', 'rejected', 'approved']);

    // The last replies' outbox rows and inbox work may still be in flight: --wait lets it settle.
    const result = await checkInvariants('--wait', '30');
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    for (const invariant of [1, 2, 3, 5, 6]) {
      expect(result.stdout).toMatch(new RegExp(`^✔ Invariant ${invariant}: .*: holds`, 'm'));
    }
    expect(result.stdout).toMatch(/^(✔|-) Invariant 4: /m);
    expect(result.stdout).toMatch(/orders 5, approved 3, rejected 2, cancelled 0, waiting 0/);
    expect(result.stdout).toContain('All invariants hold.');
  });

  it('says it cannot read a system it cannot sign in to (exit 3), rather than that all holds', async () => {
    const empty = await makeDataDir('talad-invariants-empty-');
    try {
      const result = await checkInvariants('--data-dir', empty);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/no talad-admin client secret/);
      expect(result.stdout).not.toContain('All invariants hold.');
    } finally {
      await removeDataDir(empty);
    }
  });
});
