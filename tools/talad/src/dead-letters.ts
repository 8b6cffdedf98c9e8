import type { DeadLetterOptions } from './cli.ts';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { readState, runningTalad, type Secrets } from './data-dir.ts';
import { print, printError } from './output.ts';

interface DeadLetterSummary {
  id: string;
  group: string;
  type: string | null;
  topic: string;
  key: string;
  failure: string;
  reason: string;
  attempts: number;
  lastFailedAt: string;
  replayedAt: string | null;
}

interface ServiceEndpoint {
  readonly name: string;
  readonly origin: string;
  /** The operator's bearer token: dead letters may hold customer data. */
  readonly token: string | undefined;
}

/**
 * `talad dlq list|show|replay`: the dead letters of a running system, through each service's admin
 * endpoints (`/admin/dead-letters`). Services without messaging answer 404 there and are passed over.
 */
export async function deadLetters(options: DeadLetterOptions): Promise<number> {
  const services = await runningServices(options.dataDir);
  if (services === undefined) {
    printError(`Talad is not running on ${options.dataDir}; start it with \`npm start\` first.`);
    return 3;
  }
  const chosen = options.service === undefined ? services : services.filter((s) => s.name === options.service);
  if (chosen.length === 0) {
    printError(`no service named '${options.service ?? ''}' (running: ${services.map((s) => s.name).join(', ')})`);
    return 2;
  }
  if (options.action === 'list') return list(chosen, options.all);
  return showOrReplay(chosen, options.action, options.id ?? '');
}

async function list(services: readonly ServiceEndpoint[], all: boolean): Promise<number> {
  let total = 0;
  for (const service of services) {
    const answer = await call(service, `/admin/dead-letters?state=${all ? 'all' : 'waiting'}&limit=500`);
    if (answer.status === 404) continue;
    if (answer.status !== 200) return failed(service, answer);
    const { items } = answer.body as { items: DeadLetterSummary[] };
    total += items.length;
    for (const item of items) {
      const state = item.replayedAt ? `replayed ${item.replayedAt}` : 'waiting';
      print(`${service.name}  ${item.id}  ${item.type ?? '(unreadable)'}  key ${item.key}  ${state}`);
      print(`    ${item.failure} after ${item.attempts} attempt(s), last ${item.lastFailedAt}: ${item.reason}`);
    }
  }
  print(total === 0 ? 'No dead letters.' : `${total} dead letter(s).`);
  return 0;
}

async function showOrReplay(
  services: readonly ServiceEndpoint[],
  action: 'show' | 'replay',
  id: string,
): Promise<number> {
  for (const service of services) {
    const answer =
      action === 'show'
        ? await call(service, `/admin/dead-letters/${encodeURIComponent(id)}`)
        : await call(service, `/admin/dead-letters/${encodeURIComponent(id)}/replay`, 'POST');
    if (answer.status === 404) continue;
    if (answer.status !== 200) return failed(service, answer);
    print(`${service.name}:`);
    print(JSON.stringify(answer.body, null, 2));
    return 0;
  }
  printError(`no dead letter with id ${id}`);
  return 1;
}

async function runningServices(dataDir: string): Promise<ServiceEndpoint[] | undefined> {
  if (runningTalad(dataDir) === undefined) return undefined;
  const services = (await readState(dataDir)).run?.services;
  if (!services) return undefined;
  const identity = services.find((service) => service.name === 'identity');
  const token = identity ? await operatorToken(dataDir, `http://127.0.0.1:${identity.port}`) : undefined;
  return services.map((service) => ({ name: service.name, origin: `http://127.0.0.1:${service.port}`, token }));
}

/**
 * Signs in as the `talad-admin` machine client (OAuth 2.0 client credentials) with the secret talad
 * generated for it, so talad works as an operator without anyone's password.
 */
async function operatorToken(dataDir: string, identityOrigin: string): Promise<string | undefined> {
  const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as Partial<Secrets>;
  const secret = secrets.services?.['identity']?.['ADMIN_CLIENT_SECRET'];
  if (!secret) return undefined;
  const response = await fetch(`${identityOrigin}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'talad-admin', client_secret: secret }),
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) {
    printError(`could not sign in as talad-admin (identity answered ${response.status})`);
    return undefined;
  }
  return ((await response.json()) as { access_token: string }).access_token;
}

async function call(
  service: ServiceEndpoint,
  path: string,
  method = 'GET',
): Promise<{ status: number; body: unknown }> {
  try {
    const response = await fetch(`${service.origin}${path}`, {
      method,
      headers: service.token ? { authorization: `Bearer ${service.token}` } : {},
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  } catch (error) {
    return { status: 0, body: { detail: `${service.name} did not answer: ${(error as Error).message}` } };
  }
}

function failed(service: ServiceEndpoint, answer: { status: number; body: unknown }): number {
  const detail = (answer.body as { detail?: string } | undefined)?.detail ?? `status ${answer.status}`;
  printError(`${service.name}: ${detail}`);
  return 1;
}
