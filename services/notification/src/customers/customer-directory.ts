/** Where a customer's mail goes and how the mail greets them. */
export interface CustomerContact {
  email: string;
  name: string;
}

/**
 * Finds a customer's contact; null when identity has no such account. Throws when identity cannot be
 * asked just now: the event is then retried (and dead-lettered after the retries, to replay later).
 */
export interface CustomerDirectory {
  contactOf(customerId: string): Promise<CustomerContact | null>;
}

export interface IdentityDirectoryOptions {
  /** identity's origin, e.g. http://127.0.0.1:8102 */
  identityUrl: string;
  /** notification's machine client at identity (OAuth 2.0 client credentials, scope `customers:read`). */
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

/**
 * Asks identity, the owner of customers' addresses, at the moment a mail is made:
 * `GET /admin/customers/:id` with a machine token got by client credentials (kept until shortly before
 * it expires). Asking at send time, rather than keeping a copy, means a changed address is used at once
 * and notification stores no address except on the mails it sent.
 */
export function createIdentityDirectory(options: IdentityDirectoryOptions): CustomerDirectory {
  const timeoutMs = options.timeoutMs ?? 3_000;
  let token: { value: string; renewAt: number } | undefined;

  let pending: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const response = await fetch(`${options.identityUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: options.clientId,
        client_secret: options.clientSecret,
        scope: 'customers:read',
      }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`identity refused notification's client credentials (${response.status})`);
    const body = (await response.json()) as { access_token: string; expires_in?: number };
    const lifetimeMs = (body.expires_in ?? 300) * 1000;
    token = { value: body.access_token, renewAt: Date.now() + lifetimeMs * 0.8 };
    return token.value;
  };

  // Mails made at the same moment share one token request rather than each asking identity for one.
  const accessToken = async (): Promise<string> => {
    if (token && Date.now() < token.renewAt) return token.value;
    pending ??= fetchToken().finally(() => (pending = undefined));
    return pending;
  };

  return {
    async contactOf(customerId) {
      const response = await fetch(`${options.identityUrl}/admin/customers/${encodeURIComponent(customerId)}`, {
        headers: { authorization: `Bearer ${await accessToken()}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status === 404) return null;
      if (response.status === 401) token = undefined;
      if (!response.ok) throw new Error(`identity answered ${response.status} for customer ${customerId}`);
      const customer = (await response.json()) as { email: string; name: string };
      return { email: customer.email, name: customer.name };
    },
  };
}
