import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { contextFromTraceparent, formatTraceparent } from './trace-context.ts';

describe('trace context', () => {
  it('reads and writes W3C traceparent', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const spanContext = trace.getSpanContext(contextFromTraceparent(traceparent));
    expect(spanContext).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      isRemote: true,
    });
    expect(spanContext && formatTraceparent(spanContext)).toBe(traceparent);
  });

  it('ignores a missing or malformed traceparent', () => {
    expect(trace.getSpanContext(contextFromTraceparent(undefined))).toBeUndefined();
    expect(trace.getSpanContext(contextFromTraceparent('00-zz-yy-01'))).toBeUndefined();
    expect(trace.getSpanContext(contextFromTraceparent(`00-${'0'.repeat(32)}-${'0'.repeat(16)}-01`))).toBeUndefined();
  });
});
