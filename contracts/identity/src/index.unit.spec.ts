import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AddressInputSchema,
  ListCustomersQuerySchema,
  SignUpRequestSchema,
  TokenRequestSchema,
  TokenResponseSchema,
  VerifyCustomerSchema,
} from './index.ts';

const address = {
  name: 'Malee Rakthai',
  phone: '+66812345678',
  line1: '12 Nimmanhaemin Road',
  subdistrict: 'Suthep',
  district: 'Mueang Chiang Mai',
  province: 'Chiang Mai',
  postalCode: '50200',
};

describe('SignUpRequestSchema', () => {
  it('trims and lower-cases the email, and trims the name', () => {
    const parsed = SignUpRequestSchema.parse({ email: ' Malee@Example.COM', password: 'x', name: ' Malee ' });
    expect(parsed).toEqual({ email: 'malee@example.com', password: 'x', name: 'Malee' });
  });

  it('refuses a malformed email, an empty name and unknown fields', () => {
    const result = SignUpRequestSchema.safeParse({ email: 'malee', password: 'x', name: '', admin: true });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) =>
      issue.code === 'unrecognized_keys' ? issue.keys.join() : issue.path.join('.'),
    );
    expect(paths).toEqual(expect.arrayContaining(['email', 'name', 'admin']));
  });

  it('documents the email as a plain string in OpenAPI', () => {
    const schema = z.toJSONSchema(SignUpRequestSchema, { io: 'input', target: 'openapi-3.0' }) as {
      properties: Record<string, { type?: string }>;
    };
    expect(schema.properties['email']?.type).toBe('string');
  });
});

describe('AddressInputSchema', () => {
  it('accepts a Thai address, with or without line2', () => {
    expect(AddressInputSchema.parse(address)).toEqual(address);
    expect(AddressInputSchema.parse({ ...address, line2: 'Room 4' }).line2).toBe('Room 4');
  });

  it.each([
    ['postalCode', '5020'],
    ['postalCode', '502000'],
    ['phone', '812345678'],
    ['phone', '02-123-4567'],
    ['province', ' '],
  ])('refuses %s %j', (field, value) => {
    const result = AddressInputSchema.safeParse({ ...address, [field]: value });
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
  });
});

describe('TokenRequestSchema', () => {
  it('tells the grants apart by grant_type', () => {
    expect(TokenRequestSchema.parse({ grant_type: 'refresh_token', refresh_token: 'r' })).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'r',
    });
    expect(TokenRequestSchema.safeParse({ grant_type: 'password', username: 'a' }).success).toBe(false);
  });
});

describe('TokenResponseSchema', () => {
  it('is the RFC 6749 shape', () => {
    const response = { access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r' };
    expect(TokenResponseSchema.parse(response)).toEqual(response);
    expect(TokenResponseSchema.safeParse({ ...response, token_type: 'bearer' }).success).toBe(false);
  });
});

describe('ListCustomersQuerySchema', () => {
  it('reads whole numbers from the query string and fills in defaults', () => {
    expect(ListCustomersQuerySchema.parse({})).toEqual({ page: 1, pageSize: 20 });
    expect(ListCustomersQuerySchema.parse({ page: '3', pageSize: '100' })).toEqual({ page: 3, pageSize: 100 });
    expect(ListCustomersQuerySchema.safeParse({ pageSize: '101' }).success).toBe(false);
    expect(ListCustomersQuerySchema.safeParse({ page: '1.5' }).success).toBe(false);
  });
});

describe('VerifyCustomerSchema', () => {
  it('carries a customer id', () => {
    expect(VerifyCustomerSchema.safeParse({ customerId: '0190f5c8-7a1e-7c3b-9d4e-2f6a8b1c3d5e' }).success).toBe(true);
    expect(VerifyCustomerSchema.safeParse({ customerId: 'someone' }).success).toBe(false);
  });
});
