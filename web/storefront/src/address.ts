/** The delivery address form, checked with the very schema ordering and identity check it with. */
import { ShippingAddressSchema, type ShippingAddress } from '@talad/contracts-common';

export type AddressForm = Record<keyof ShippingAddress, string>;
export type AddressErrors = Partial<Record<keyof ShippingAddress, string>>;

export const EMPTY_ADDRESS: AddressForm = {
  name: '',
  phone: '',
  line1: '',
  line2: '',
  subdistrict: '',
  district: '',
  province: '',
  postalCode: '',
};

const MESSAGES: Record<keyof ShippingAddress, string> = {
  name: 'Enter who receives the parcel.',
  phone: 'Enter a Thai phone number, such as 0812345678.',
  line1: 'Enter the house number and street.',
  line2: 'Keep this under 200 characters.',
  subdistrict: 'Enter the subdistrict (tambon / khwaeng).',
  district: 'Enter the district (amphoe / khet).',
  province: 'Enter the province.',
  postalCode: 'Enter the 5-digit postal code.',
};

export function checkAddress(form: AddressForm): { address?: ShippingAddress; errors: AddressErrors } {
  const { line2, ...rest } = form;
  const parsed = ShippingAddressSchema.safeParse({
    ...rest,
    phone: form.phone.replace(/[\s-]/g, ''),
    ...(line2.trim() ? { line2 } : {}),
  });
  if (parsed.success) return { address: parsed.data, errors: {} };
  const errors: AddressErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as keyof ShippingAddress;
    errors[field] ??= MESSAGES[field];
  }
  return { errors };
}
