/** An answer the API refused: its problem+json title, detail and code, for the operator to read. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string | undefined;
  constructor(status: number, title: string, detail: string | undefined, code: string | undefined) {
    super(detail && detail !== title ? `${title}: ${detail}` : title);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = code;
  }
}

export interface AdminClient {
  /** Calls the gateway with the admin client's token; resolves to the JSON answer (undefined for 204). */
  call(method: string, path: string, body?: unknown): Promise<unknown>;
}

const TIMEOUT_MS = 10_000;

/**
 * Signs in as the `talad-admin` machine client (OAuth 2.0 client credentials at identity's token endpoint,
 * reached through the gateway like any API client) and calls the gateway with that token.
 *
 * @example
 * const client = await signIn('http://127.0.0.1:8080', { clientId: 'talad-admin', clientSecret });
 * await client.call('PATCH', `/api/catalog/products/${id}`, { price: { amount: 129_000, currency: 'THB' } });
 */
export async function signIn(
  gatewayUrl: string,
  credentials: { clientId: string; clientSecret: string },
): Promise<AdminClient> {
  const token = (await send(gatewayUrl, 'POST', '/api/identity/token', {
    form: {
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    },
  })) as { access_token: string };
  return {
    call: (method, path, body) => send(gatewayUrl, method, path, { token: token.access_token, json: body }),
  };
}

async function send(
  origin: string,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; form?: Record<string, string> },
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | URLSearchParams | undefined;
  if (options.form) body = new URLSearchParams(options.form);
  else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  let response: Response;
  try {
    response = await fetch(`${origin}${path}`, { method, headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new ApiProblem(0, `the gateway at ${origin} did not answer`, (error as Error).message, undefined);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.ok) return parsed;
  const problem = (parsed ?? {}) as { title?: string; detail?: string; code?: string; error_description?: string };
  // The token endpoint answers in OAuth 2.0's own error format.
  const title = problem.title ?? (problem.error_description ? 'sign-in refused' : `HTTP ${response.status}`);
  throw new ApiProblem(response.status, title, problem.detail ?? problem.error_description, problem.code);
}
