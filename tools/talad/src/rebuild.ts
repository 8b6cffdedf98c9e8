import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readState, runningTalad, type Secrets } from './data-dir.ts';
import { print, printError } from './output.ts';

export interface RebuildOptions {
  readonly dataDir: string;
  /** The read model to rebuild; only `order-history` has one today. */
  readonly model: 'order-history';
}

interface RebuildReport {
  events: number;
  orders: number;
  equal: boolean;
  differingOrders: string[];
  repaired: number;
}

/**
 * `talad rebuild order-history`: asks the running order-history to rebuild its read model from scratch
 * out of its own event log and compare it with the live one (`POST /admin/rebuild`, as the talad-admin
 * client). Exit code 0 when they were equal, 1 when orders differed (they are repaired), 3 when the
 * system could not be reached.
 */
export async function rebuild(options: RebuildOptions): Promise<number> {
  if (runningTalad(options.dataDir) === undefined) {
    printError(`no running system on ${options.dataDir}: start it with npm start`);
    return 3;
  }
  const services = (await readState(options.dataDir)).run?.services ?? [];
  const origin = (name: string): string | undefined => {
    const service = services.find((candidate) => candidate.name === name);
    return service ? `http://127.0.0.1:${service.port}` : undefined;
  };
  const identity = origin('identity');
  const history = origin(options.model);
  if (!identity || !history) {
    printError(`the running system has no ${identity ? options.model : 'identity'} service`);
    return 3;
  }
  try {
    const token = await operatorToken(options.dataDir, identity);
    const response = await fetch(`${history}/admin/rebuild`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(120_000),
    });
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as { detail?: string };
      printError(`${options.model} refused the rebuild: ${problem.detail ?? `status ${response.status}`}`);
      return 3;
    }
    const report = (await response.json()) as RebuildReport;
    print(`rebuilt ${options.model} from ${report.events} received events: ${report.orders} orders`);
    if (report.equal) {
      print('✔ the rebuilt model equals the live one');
      return 0;
    }
    print(`✘ ${report.repaired} order(s) differed from the live model and were repaired:`);
    for (const orderId of report.differingOrders) print(`    ${orderId}`);
    return 1;
  } catch (error) {
    printError(`could not rebuild ${options.model}: ${(error as Error).message}`);
    return 3;
  }
}

/** Signs in at identity as the `talad-admin` machine client, with the secret talad generated for it. */
async function operatorToken(dataDir: string, identity: string): Promise<string> {
  const path = join(dataDir, 'secrets.json');
  const secrets = JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as Partial<Secrets>;
  const secret = secrets.services?.['identity']?.['ADMIN_CLIENT_SECRET'];
  if (!secret) throw new Error(`no talad-admin client secret in ${path}`);
  const response = await fetch(`${identity}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'talad-admin', client_secret: secret }),
    // Generous: checking the client's secret is deliberately slow work, and a busy machine makes it slower.
    signal: AbortSignal.timeout(20_000),
  });
  if (!response.ok) throw new Error(`identity refused the talad-admin client (${response.status})`);
  return ((await response.json()) as { access_token: string }).access_token;
}
