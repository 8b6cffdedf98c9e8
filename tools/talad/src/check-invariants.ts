import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  allHold,
  checkInvariants,
  type Facts,
  type InventoryFacts,
  type InvariantReport,
  type MessagingFact,
  type OrderHistoryFact,
  type OrderingFacts,
  type PaymentFacts,
  type ProviderAuthorization,
  type StockLine,
} from './check-invariants-rules.ts';
import { readState, runningTalad, type Secrets } from './data-dir.ts';
import { print, printError } from './output.ts';
import { topology } from './topology.ts';

export interface CheckOptions {
  readonly dataDir: string;
  /** Added to the topology's ports when no running talad on the data dir says where the services are. */
  readonly portOffset: number;
  /** Check again every second for up to this long while an invariant fails (the system settling). */
  readonly waitSeconds: number;
}

/** Could not read what an invariant needs: the check cannot say "holds" or "fails". */
class Unreadable extends Error {}

const TIMEOUT_MS = 15_000;
/** Order-history summaries fetched at once, one per order. */
const HISTORY_CONCURRENCY = 16;

/**
 * `talad check`: CONSISTENCY.md's invariants against the running system, read through each service's
 * admin views as the talad-admin client. Prints each invariant with its result and counts.
 * Exit code 0: all hold; 1: one fails; 3: the system could not be read.
 */
export async function checkInvariantsCommand(options: CheckOptions): Promise<number> {
  const origins = await serviceOrigins(options);
  const services = new Set(topology.services.map((service) => service.name));
  const deadline = Date.now() + options.waitSeconds * 1_000;
  for (;;) {
    let reports: InvariantReport[];
    try {
      const token = await operatorToken(options.dataDir, origins);
      reports = checkInvariants(await gatherFacts(origins, token, services), services);
    } catch (error) {
      if (!(error instanceof Unreadable) || Date.now() >= deadline) {
        printError(`talad check: ${(error as Error).message}`);
        return 3;
      }
      await sleep(1_000);
      continue;
    }
    if (allHold(reports) || Date.now() >= deadline) {
      printReports(reports);
      return allHold(reports) ? 0 : 1;
    }
    await sleep(1_000);
  }
}

function printReports(reports: readonly InvariantReport[]): void {
  for (const { invariant, outcome, note } of reports) {
    const heading = `Invariant ${invariant.number}: ${invariant.title}`;
    if (!outcome) {
      print(`- ${heading}: ${note ?? 'skipped'}`);
      continue;
    }
    const counts = Object.entries(outcome.counts)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
    print(`${outcome.holds ? '✔' : '✘'} ${heading}: ${outcome.holds ? 'holds' : 'FAILS'} (${counts})`);
    for (const violation of outcome.violations.slice(0, 20)) print(`    ${violation}`);
    if (outcome.violations.length > 20) print(`    … and ${outcome.violations.length - 20} more`);
  }
  const failed = reports.filter((report) => report.outcome && !report.outcome.holds).length;
  print(failed === 0 ? 'All invariants hold.' : `${failed} invariant(s) fail.`);
}

/** Where each service listens: as the running talad recorded it, else the topology's ports plus the offset. */
async function serviceOrigins(options: CheckOptions): Promise<Map<string, string>> {
  const running = runningTalad(options.dataDir) === undefined ? undefined : (await readState(options.dataDir)).run;
  const ports = running
    ? running.services
    : topology.services.map((service) => ({ name: service.name, port: service.port + options.portOffset }));
  return new Map(ports.map((service) => [service.name, `http://127.0.0.1:${service.port}`]));
}

/** Signs in at identity as the `talad-admin` machine client, with the secret talad generated for it. */
async function operatorToken(dataDir: string, origins: ReadonlyMap<string, string>): Promise<string> {
  const path = join(dataDir, 'secrets.json');
  const secrets = JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as Partial<Secrets>;
  const secret = secrets.services?.['identity']?.['ADMIN_CLIENT_SECRET'];
  if (!secret) throw new Error(`no talad-admin client secret in ${path}; is this the system's data dir?`);
  const answer = await fetchJson(origin(origins, 'identity'), '/token', undefined, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'talad-admin', client_secret: secret }),
  });
  return (answer as { access_token: string }).access_token;
}

async function gatherFacts(
  origins: ReadonlyMap<string, string>,
  token: string,
  services: ReadonlySet<string>,
): Promise<Facts> {
  const messagingServices = topology.services.filter((service) => service.messaging).map((service) => service.name);
  // Ordering first: everything the others hold must then belong to an order it already reports.
  const ordering = (await fetchJson(origin(origins, 'ordering'), '/admin/consistency', token)) as OrderingFacts;
  const [inventory, payment, provider, messaging] = await Promise.all([
    fetchJson(origin(origins, 'inventory'), '/admin/consistency', token) as Promise<InventoryFacts>,
    fetchJson(origin(origins, 'payment'), '/admin/consistency', token) as Promise<PaymentFacts>,
    fetchJson(origin(origins, 'card-provider'), '/v1/authorizations', undefined) as Promise<{
      items: ProviderAuthorization[];
    }>,
    Promise.all(messagingServices.map((name) => messagingFact(name, origin(origins, name), token))),
  ]);
  const history = services.has('order-history')
    ? await orderHistoryFacts(origin(origins, 'order-history'), token, ordering)
    : undefined;
  return {
    ordering,
    inventory,
    payment,
    provider: provider.items,
    messaging,
    ...(Array.isArray(history) ? { orderHistory: history } : {}),
    ...(typeof history === 'string' ? { orderHistoryUnavailable: history } : {}),
  };
}

/** The outbox depth from the service's Prometheus metrics, and the dead letters waiting for a replay. */
async function messagingFact(service: string, serviceOrigin: string, token: string): Promise<MessagingFact> {
  try {
    const metrics = await fetchText(serviceOrigin, '/metrics');
    const depth = [...metrics.matchAll(/^messaging_outbox_depth(?:\{[^}]*\})? (\S+)$/gm)].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    );
    const hasDepth = /^messaging_outbox_depth(?:\{[^}]*\})? /m.test(metrics);
    const deadLetters = (await fetchJson(serviceOrigin, '/admin/dead-letters?state=waiting&limit=500', token)) as {
      items: unknown[];
    };
    return {
      service,
      outboxDepth: hasDepth ? depth : undefined,
      waitingDeadLetters: deadLetters.items.length,
    };
  } catch (error) {
    if (!(error instanceof Unreadable)) throw error;
    return { service, outboxDepth: undefined, waitingDeadLetters: undefined, problem: error.message };
  }
}

interface HistorySummary {
  orderId: string;
  status: string;
  totals?: { total?: { amount?: number } };
  lines: StockLine[];
}

const summaryFact = (summary: HistorySummary): OrderHistoryFact['summary'] => ({
  status: summary.status,
  totalAmount: summary.totals?.total?.amount,
  lines: summary.lines,
});

/**
 * Order-history's summaries of ordering's orders: its whole model from `GET /admin/consistency` when it
 * offers one (`{ orders: OrderSummary[] }`), else one `GET /order-history/:id` per order. A string says
 * why neither may be read by the talad-admin client.
 */
async function orderHistoryFacts(
  serviceOrigin: string,
  token: string,
  ordering: OrderingFacts,
): Promise<OrderHistoryFact[] | string> {
  let whole: { orders: HistorySummary[] } | undefined;
  try {
    whole = (await fetchJson(serviceOrigin, '/admin/consistency', token)) as { orders: HistorySummary[] };
  } catch (error) {
    if (!(error instanceof Unreadable && /answered 40[134]/.test(error.message))) throw error;
  }
  if (whole) {
    const summaries = new Map(whole.orders.map((summary) => [summary.orderId, summary]));
    return ordering.orders.map((order) => {
      const summary = summaries.get(order.orderId);
      return { orderId: order.orderId, summary: summary ? summaryFact(summary) : undefined };
    });
  }
  const ids = ordering.orders.map((order) => order.orderId);
  const probe = ids[0];
  if (probe !== undefined) {
    const refused = await fetchJson(serviceOrigin, `/order-history/${probe}`, token).then(
      () => undefined,
      (error: unknown) => (error instanceof Unreadable && /answered 40[13]/.test(error.message) ? error : undefined),
    );
    if (refused) return 'order-history offers no view the talad-admin client may read (GET /admin/consistency)';
  }
  const facts: OrderHistoryFact[] = [];
  for (let start = 0; start < ids.length; start += HISTORY_CONCURRENCY) {
    const batch = ids.slice(start, start + HISTORY_CONCURRENCY);
    facts.push(
      ...(await Promise.all(
        batch.map(async (orderId): Promise<OrderHistoryFact> => {
          try {
            const summary = (await fetchJson(serviceOrigin, `/order-history/${orderId}`, token)) as HistorySummary;
            return { orderId, summary: summaryFact(summary) };
          } catch (error) {
            if (!(error instanceof Unreadable)) throw error;
            return { orderId, summary: undefined, problem: error.message };
          }
        }),
      )),
    );
  }
  return facts;
}

function origin(origins: ReadonlyMap<string, string>, service: string): string {
  const found = origins.get(service);
  if (!found) throw new Error(`the system has no ${service} service`);
  return found;
}

async function fetchText(serviceOrigin: string, path: string, token?: string, init: RequestInit = {}): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${serviceOrigin}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new Unreadable(`${serviceOrigin}${path} did not answer: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) throw new Unreadable(`${serviceOrigin}${path} answered ${response.status}: ${text.slice(0, 200)}`);
  return text;
}

async function fetchJson(serviceOrigin: string, path: string, token?: string, init?: RequestInit): Promise<unknown> {
  return JSON.parse(await fetchText(serviceOrigin, path, token, init)) as unknown;
}
