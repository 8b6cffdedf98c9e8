import { createSocket, type Socket } from 'node:dgram';

export interface TestDnsServer {
  /** `127.0.0.1:<port>`, for `resolveARecords([server.address])`. */
  readonly address: string;
  /** Sets the A records of a name; an empty list makes the name unknown (NXDOMAIN). */
  setRecords(hostname: string, addresses: string[]): void;
  close(): Promise<void>;
}

/**
 * A real DNS server on UDP, answering A queries from a table the test changes, as a cluster's DNS does
 * when pods come and go. Only what a resolver needs: one question, A records, NXDOMAIN.
 */
export async function startTestDnsServer(): Promise<TestDnsServer> {
  const records = new Map<string, string[]>();
  const socket: Socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    const answer = answerTo(query, records);
    if (answer) socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    setRecords(hostname, addresses) {
      if (addresses.length === 0) records.delete(hostname.toLowerCase());
      else records.set(hostname.toLowerCase(), addresses);
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

function answerTo(query: Buffer, records: Map<string, string[]>): Buffer | undefined {
  if (query.length < 17) return undefined;
  const labels: string[] = [];
  let offset = 12;
  while (offset < query.length) {
    const length = query[offset] ?? 0;
    offset += 1;
    if (length === 0) break;
    labels.push(query.subarray(offset, offset + length).toString('ascii'));
    offset += length;
  }
  const questionEnd = offset + 4;
  const type = query.readUInt16BE(offset);
  const addresses = records.get(labels.join('.').toLowerCase());
  const answers = type === 1 && addresses ? addresses : [];
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  // Response, recursion desired and available; rcode 3 (NXDOMAIN) when the name is unknown.
  header.writeUInt16BE(addresses ? 0x8180 : 0x8183, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  const answerRecords = answers.map((address) => {
    const record = Buffer.alloc(16);
    record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    record.writeUInt16BE(1, 2); // A
    record.writeUInt16BE(1, 4); // IN
    record.writeUInt32BE(1, 6); // TTL, seconds
    record.writeUInt16BE(4, 10);
    address.split('.').forEach((part, index) => record.writeUInt8(Number(part), 12 + index));
    return record;
  });
  return Buffer.concat([header, query.subarray(12, questionEnd), ...answerRecords]);
}
