import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInIdentity {
  readonly url: string;
  /** Customers it knows, by id. */
  readonly customers: Map<string, { email: string; name: string }>;
  /** Tokens handed out by its token endpoint. */
  readonly tokensIssued: () => number;
  close(): Promise<void>;
}

/**
 * A real HTTP server standing in for identity: client credentials at `POST /token` (one client, one
 * secret) and `GET /admin/customers/:id` for a bearer of the token it issued.
 */
export async function startStandInIdentity(client: { id: string; secret: string }): Promise<StandInIdentity> {
  const customers = new Map<string, { email: string; name: string }>();
  const token = `token-${client.id}`;
  let issued = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.method === 'POST' && request.url === '/token') {
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        if (form.get('client_id') !== client.id || form.get('client_secret') !== client.secret) {
          return answer(401, { error: 'invalid_client' });
        }
        issued += 1;
        return answer(200, { access_token: token, token_type: 'Bearer', expires_in: 900 });
      }
      const match = /^\/admin\/customers\/([^/?]+)$/.exec(request.url ?? '');
      if (request.method === 'GET' && match) {
        if (request.headers.authorization !== `Bearer ${token}`) return answer(401, { code: 'AUTH_TOKEN_INVALID' });
        const id = decodeURIComponent(match[1] ?? '');
        const customer = customers.get(id);
        return customer
          ? answer(200, { id, ...customer, roles: ['customer'], createdAt: new Date().toISOString() })
          : answer(404, { code: 'IDENTITY_CUSTOMER_NOT_FOUND' });
      }
      return answer(404, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    customers,
    tokensIssued: () => issued,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
