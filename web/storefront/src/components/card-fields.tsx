import { brandOf, formatCardNumber, formatExpiry, type CardErrors, type CardForm } from '../card.ts';
import { Field } from './field.tsx';

const BRAND_NAMES = { visa: 'Visa', mastercard: 'Mastercard', amex: 'American Express', jcb: 'JCB', unknown: '' };

export function CardFields(props: { value: CardForm; errors: CardErrors; onChange: (value: CardForm) => void }) {
  const { value, errors, onChange } = props;
  const brand = BRAND_NAMES[brandOf(value.number)];
  return (
    <div className="card-fields">
      <Field
        id="card-number"
        label="Card number"
        autoComplete="cc-number"
        inputMode="numeric"
        placeholder="1234 5678 9012 3456"
        value={value.number}
        onChange={(event) => onChange({ ...value, number: formatCardNumber(event.target.value) })}
        hint={brand || undefined}
        error={errors.number}
      />
      <div className="field-row">
        <Field
          id="card-expiry"
          label="Expiry (MM / YY)"
          autoComplete="cc-exp"
          inputMode="numeric"
          placeholder="MM / YY"
          value={value.expiry}
          onChange={(event) => onChange({ ...value, expiry: formatExpiry(event.target.value, value.expiry) })}
          error={errors.expiry}
        />
        <Field
          id="card-cvc"
          label="Security code"
          autoComplete="cc-csc"
          inputMode="numeric"
          maxLength={4}
          value={value.cvc}
          onChange={(event) => onChange({ ...value, cvc: event.target.value.replace(/\D/g, '') })}
          error={errors.cvc}
        />
      </div>
      <Field
        id="card-name"
        label="Name on card"
        autoComplete="cc-name"
        value={value.name}
        onChange={(event) => onChange({ ...value, name: event.target.value })}
      />
    </div>
  );
}
