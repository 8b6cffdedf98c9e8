import type { ShippingAddress } from './index.ts';

/** A valid Thai shipping address for tests and examples: every field the schema asks for, filled. */
export const SAMPLE_ADDRESS: ShippingAddress = {
  name: 'Somchai Jaidee',
  phone: '0812345678',
  line1: '99 Sukhumvit Road',
  subdistrict: 'Khlong Toei Nuea',
  district: 'Watthana',
  province: 'Bangkok',
  postalCode: '10110',
};
