import type { AddressErrors, AddressForm } from '../address.ts';
import { Field } from './field.tsx';

const FIELDS: ReadonlyArray<{ name: keyof AddressForm; label: string; autoComplete: string; optional?: boolean }> = [
  { name: 'name', label: 'Full name', autoComplete: 'name' },
  { name: 'phone', label: 'Phone', autoComplete: 'tel' },
  { name: 'line1', label: 'House number, building, street', autoComplete: 'address-line1' },
  { name: 'line2', label: 'Floor, room, landmark (optional)', autoComplete: 'address-line2', optional: true },
  { name: 'subdistrict', label: 'Subdistrict', autoComplete: 'address-level3' },
  { name: 'district', label: 'District', autoComplete: 'address-level2' },
  { name: 'province', label: 'Province', autoComplete: 'address-level1' },
  { name: 'postalCode', label: 'Postal code', autoComplete: 'postal-code' },
];

export function AddressFields(props: {
  value: AddressForm;
  errors: AddressErrors;
  onChange: (value: AddressForm) => void;
}) {
  return (
    <div className="address-fields">
      {FIELDS.map((field) => (
        <Field
          key={field.name}
          id={`address-${field.name}`}
          label={field.label}
          autoComplete={`shipping ${field.autoComplete}`}
          required={!field.optional}
          inputMode={field.name === 'phone' ? 'tel' : field.name === 'postalCode' ? 'numeric' : undefined}
          value={props.value[field.name]}
          onChange={(event) => props.onChange({ ...props.value, [field.name]: event.target.value })}
          error={props.errors[field.name]}
        />
      ))}
    </div>
  );
}
