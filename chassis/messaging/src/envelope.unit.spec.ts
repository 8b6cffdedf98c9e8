import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, type Envelope } from './envelope.ts';

const envelope: Envelope = {
  specversion: '1.0',
  id: '0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e',
  source: '/talad/ordering',
  type: 'ordering.OrderPlaced.v1',
  time: '2026-01-01T00:00:00.000Z',
  subject: 'order-1',
  datacontenttype: 'application/json',
  data: { orderId: 'order-1', lines: 2 },
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  correlationid: '0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e',
};

describe('envelope', () => {
  it('round-trips through bytes unchanged', () => {
    const decoded = decodeEnvelope(encodeEnvelope(envelope));
    expect(decoded).toEqual({ ok: true, envelope });
  });

  it('is CloudEvents structured JSON', () => {
    const json = JSON.parse(new TextDecoder().decode(encodeEnvelope(envelope)));
    expect(json).toMatchObject({ specversion: '1.0', datacontenttype: 'application/json', subject: 'order-1' });
  });

  it('keeps unknown extensions it does not use', () => {
    const body = new TextEncoder().encode(JSON.stringify({ ...envelope, partitionkey: 'x' }));
    const decoded = decodeEnvelope(body);
    expect(decoded.ok && (decoded.envelope as unknown as Record<string, unknown>)['partitionkey']).toBe('x');
  });

  it.each([
    ['not JSON', new TextEncoder().encode('{"specversion":'), /not UTF-8 JSON/],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), /not UTF-8 JSON/],
    ['JSON but not an object', new TextEncoder().encode('[1,2]'), /not a Talad CloudEvent/],
    [
      'another spec version',
      new TextEncoder().encode(JSON.stringify({ ...envelope, specversion: '0.3' })),
      /specversion/,
    ],
    ['no id', new TextEncoder().encode(JSON.stringify({ ...envelope, id: undefined })), /id/],
    [
      'XML data',
      new TextEncoder().encode(JSON.stringify({ ...envelope, datacontenttype: 'text/xml' })),
      /datacontenttype/,
    ],
  ])('says why %s is not an envelope, without throwing', (_name, body, reason) => {
    const decoded = decodeEnvelope(body);
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.reason).toMatch(reason);
  });
});
