import { useEffect, useState, type SyntheticEvent, type ReactNode } from 'react';
import type { ShippingAddress, ShippingOption } from '@talad/contracts-common';
import type { Address } from '@talad/contracts-identity';
import type { Quote } from '@talad/contracts-shipping';
import { checkAddress, EMPTY_ADDRESS, type AddressErrors, type AddressForm } from '../address.ts';
import { tokenizeCard, type CardToken } from '../api/card-provider.ts';
import { getAddresses, getShippingQuote, placeOrder, saveAddress } from '../api/client.ts';
import { ApiError, messageOf } from '../api/http.ts';
import { reloadBasket, useBasket } from '../basket-store.ts';
import { checkCard, type CardErrors, type CardForm } from '../card.ts';
import { AddressFields } from '../components/address-form.tsx';
import { AuthForm } from '../components/auth-form.tsx';
import { CardFields } from '../components/card-fields.tsx';
import { AddressSummary, DELIVERY_NAMES, OrderBreakdown } from '../components/order-breakdown.tsx';
import { ErrorNotice, Loading } from '../components/status.tsx';
import { newId } from '../ids.ts';
import { formatMoney } from '../money.ts';
import { Link, navigate } from '../router.tsx';
import { useSignedIn } from '../session.ts';
import { checkoutTotals, deliveryEstimate } from '../totals.ts';

type Step = 'address' | 'shipping' | 'payment' | 'review';
const STEPS: readonly Step[] = ['address', 'shipping', 'payment', 'review'];

/** How the person chose to pay: a card the provider turned into a token, or a slip to pay at a counter. */
type PaymentChoice = { type: 'card'; card: CardToken } | { type: 'counter' };

export function CheckoutPage() {
  const signedIn = useSignedIn();
  const { basket, error: basketError } = useBasket();
  const [step, setStep] = useState<Step>('address');
  const [address, setAddress] = useState<ShippingAddress>();
  const [option, setOption] = useState<ShippingOption>('standard');
  const [quote, setQuote] = useState<Quote>();
  const [quoteError, setQuoteError] = useState<unknown>();
  const [payment, setPayment] = useState<PaymentChoice>();

  const subtotal = basket?.subtotal.amount;
  useEffect(() => {
    if (subtotal === undefined) return;
    setQuoteError(undefined);
    getShippingQuote(subtotal).then(setQuote, setQuoteError);
  }, [subtotal]);

  if (!signedIn) {
    return (
      <div className="checkout">
        <h1>Checkout</h1>
        <section className="checkout-step" aria-labelledby="step-account">
          <h2 id="step-account">1. Your account</h2>
          <p>Create an account or sign in to place your order. Your basket comes with you.</p>
          <AuthForm />
        </section>
      </div>
    );
  }
  if (basketError !== undefined && !basket)
    return <ErrorNotice error={basketError} onRetry={() => void reloadBasket()} />;
  if (!basket) return <Loading label="Loading your basket…" />;
  const lines = basket.lines.filter((line) => line.available);
  if (lines.length === 0) {
    return (
      <div className="empty">
        <h1>Your basket is empty</h1>
        <Link href="/">Find something you like</Link>
      </div>
    );
  }
  const at = STEPS.indexOf(step);
  const totals = checkoutTotals(basket.subtotal, quote, option);
  const offer = quote?.options.find((candidate) => candidate.option === option);

  const section = (which: Step, title: string, summary: ReactNode, body: ReactNode) => {
    const index = STEPS.indexOf(which);
    return (
      <section
        className={`checkout-step${index === at ? ' checkout-step-current' : ''}`}
        aria-labelledby={`step-${which}`}
      >
        <div className="checkout-step-head">
          <h2 id={`step-${which}`}>
            {index + 2}. {title}
          </h2>
          {index < at && (
            <button
              type="button"
              className="link-button"
              onClick={() => setStep(which)}
              aria-label={`Change ${title.toLowerCase()}`}
            >
              Change
            </button>
          )}
        </div>
        {index < at && <div className="checkout-step-summary">{summary}</div>}
        {index === at && body}
      </section>
    );
  };

  return (
    <div className="checkout">
      <h1>Checkout</h1>
      <section className="checkout-step" aria-labelledby="step-account">
        <h2 id="step-account">1. Your account</h2>
        <p className="muted">Signed in.</p>
      </section>
      {section(
        'address',
        'Delivery address',
        address && <AddressSummary address={address} />,
        <AddressStep
          initial={address}
          onDone={(chosen) => {
            setAddress(chosen);
            setStep('shipping');
          }}
        />,
      )}
      {section(
        'shipping',
        'Delivery option',
        offer && (
          <p>
            {DELIVERY_NAMES[option]} · {offer.fee.amount === 0 ? 'Free' : formatMoney(offer.fee)}
          </p>
        ),
        quoteError !== undefined ? (
          <ErrorNotice
            error={quoteError}
            onRetry={() => void getShippingQuote(basket.subtotal.amount).then(setQuote, setQuoteError)}
          />
        ) : !quote ? (
          <Loading label="Getting delivery prices…" />
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              setStep('payment');
            }}
          >
            <fieldset className="options">
              <legend className="visually-hidden">Delivery option</legend>
              {quote.options.map((candidate) => (
                <label
                  key={candidate.option}
                  className={candidate.option === option ? 'option option-chosen' : 'option'}
                >
                  <input
                    type="radio"
                    name="shipping-option"
                    value={candidate.option}
                    checked={candidate.option === option}
                    onChange={() => setOption(candidate.option)}
                  />
                  <span className="option-name">{DELIVERY_NAMES[candidate.option]}</span>
                  <span className="muted">{deliveryEstimate(candidate.estimatedDays)}</span>
                  <span className="option-fee">{candidate.fee.amount === 0 ? 'Free' : formatMoney(candidate.fee)}</span>
                </label>
              ))}
            </fieldset>
            <button type="submit" className="button button-primary">
              Continue to payment
            </button>
          </form>
        ),
      )}
      {section(
        'payment',
        'Payment',
        payment && <p>{paymentLabel(payment)}</p>,
        <PaymentStep
          initial={payment?.type ?? 'card'}
          onDone={(choice) => {
            setPayment(choice);
            setStep('review');
          }}
        />,
      )}
      {section(
        'review',
        'Review and place your order',
        null,
        address && payment && (
          <ReviewStep
            lines={lines.map((line) => ({ ...line }))}
            totals={totals}
            address={address}
            option={option}
            payment={payment}
            onCardRefused={() => setStep('payment')}
          />
        ),
      )}
    </div>
  );
}

function paymentLabel(payment: PaymentChoice): string {
  return payment.type === 'card'
    ? `Card: ${payment.card.brand} ending in ${payment.card.last4}`
    : 'Pay at a counter service with a pay slip';
}

function toInput(saved: Address): ShippingAddress {
  return {
    name: saved.name,
    phone: saved.phone,
    line1: saved.line1,
    ...(saved.line2 ? { line2: saved.line2 } : {}),
    subdistrict: saved.subdistrict,
    district: saved.district,
    province: saved.province,
    postalCode: saved.postalCode,
  };
}

function AddressStep({
  initial,
  onDone,
}: {
  initial: ShippingAddress | undefined;
  onDone: (address: ShippingAddress) => void;
}) {
  const [saved, setSaved] = useState<Address[]>();
  const [chosen, setChosen] = useState<string>('new');
  const [form, setForm] = useState<AddressForm>(
    initial ? { ...EMPTY_ADDRESS, ...initial, line2: initial.line2 ?? '' } : EMPTY_ADDRESS,
  );
  const [errors, setErrors] = useState<AddressErrors>({});
  const [remember, setRemember] = useState(true);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getAddresses().then(
      (list) => {
        setSaved(list.items);
        const first = list.items[0];
        if (first && !initial) setChosen(first.id);
      },
      () => setSaved([]),
    );
  }, [initial]);

  const submit = async (event: SyntheticEvent): Promise<void> => {
    event.preventDefault();
    const existing = saved?.find((address) => address.id === chosen);
    if (existing) return onDone(toInput(existing));
    const checked = checkAddress(form);
    setErrors(checked.errors);
    if (!checked.address) return;
    if (remember) {
      setBusy(true);
      try {
        await saveAddress(checked.address);
      } catch {
        // Saving is a convenience: the order carries its own copy of the address anyway.
      } finally {
        setBusy(false);
      }
    }
    onDone(checked.address);
  };

  if (!saved) return <Loading label="Loading your addresses…" />;
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      {saved.length > 0 && (
        <fieldset className="options">
          <legend>Deliver to</legend>
          {saved.map((address) => (
            <label key={address.id} className={chosen === address.id ? 'option option-chosen' : 'option'}>
              <input
                type="radio"
                name="address"
                checked={chosen === address.id}
                onChange={() => setChosen(address.id)}
              />
              <AddressSummary address={toInput(address)} />
            </label>
          ))}
          <label className={chosen === 'new' ? 'option option-chosen' : 'option'}>
            <input type="radio" name="address" checked={chosen === 'new'} onChange={() => setChosen('new')} />
            <span className="option-name">A new address</span>
          </label>
        </fieldset>
      )}
      {chosen === 'new' && (
        <>
          <AddressFields value={form} errors={errors} onChange={setForm} />
          <label className="checkbox">
            <input type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} /> Save
            this address for next time
          </label>
        </>
      )}
      <button type="submit" className="button button-primary" disabled={busy}>
        Deliver here
      </button>
    </form>
  );
}

const EMPTY_CARD: CardForm = { number: '', expiry: '', cvc: '', name: '' };

function PaymentStep({ initial, onDone }: { initial: PaymentChoice['type']; onDone: (choice: PaymentChoice) => void }) {
  const [method, setMethod] = useState<PaymentChoice['type']>(initial);
  const [form, setForm] = useState<CardForm>(EMPTY_CARD);
  const [errors, setErrors] = useState<CardErrors>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event: SyntheticEvent): Promise<void> => {
    event.preventDefault();
    if (method === 'counter') return onDone({ type: 'counter' });
    const checked = checkCard(form, new Date());
    setErrors(checked.errors);
    if (!checked.card) return;
    setBusy(true);
    setError(undefined);
    try {
      onDone({ type: 'card', card: await tokenizeCard(checked.card) });
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <fieldset className="options payment-methods">
        <legend>How would you like to pay?</legend>
        <label className={method === 'card' ? 'option option-chosen' : 'option'}>
          <input
            type="radio"
            name="payment-method"
            value="card"
            checked={method === 'card'}
            onChange={() => setMethod('card')}
          />
          <span className="option-name">Card</span>
          <span className="muted">Visa, Mastercard, American Express, JCB</span>
        </label>
        <label className={method === 'counter' ? 'option option-chosen' : 'option'}>
          <input
            type="radio"
            name="payment-method"
            value="counter"
            checked={method === 'counter'}
            onChange={() => setMethod('counter')}
          />
          <span className="option-name">Pay at a counter service</span>
          <span className="muted">Get a pay slip with a barcode and pay in cash at a convenience store counter</span>
        </label>
      </fieldset>
      {method === 'card' ? (
        <fieldset className="payment">
          <legend>Pay by card</legend>
          <p className="muted">Your card details go straight to our card processor; Talad never sees the number.</p>
          <CardFields value={form} errors={errors} onChange={setForm} />
        </fieldset>
      ) : (
        <p className="notice">
          After you place the order you get a pay slip to pay before it expires. We set your items aside until then, and
          send them once the payment reaches us.
        </p>
      )}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Checking the card…' : 'Continue to review'}
      </button>
    </form>
  );
}

interface ReviewProps {
  lines: Array<{
    productId: string;
    name: string;
    size: string | null;
    quantity: number;
    lineTotal: { amount: number; currency: 'THB' };
  }>;
  totals: ReturnType<typeof checkoutTotals>;
  address: ShippingAddress;
  option: ShippingOption;
  payment: PaymentChoice;
  onCardRefused: () => void;
}

function ReviewStep({ lines, totals, address, option, payment, onCardRefused }: ReviewProps) {
  // One key per order attempt: a double click or a retry after a lost answer places a single order.
  const [idempotencyKey] = useState(newId);
  const [placing, setPlacing] = useState(false);
  const [error, setError] = useState<string>();

  const place = async (): Promise<void> => {
    if (placing) return;
    setPlacing(true);
    setError(undefined);
    try {
      const placed = await placeOrder(
        {
          lines: lines.map((line) => ({
            productId: line.productId,
            quantity: line.quantity,
            ...(line.size ? { size: line.size } : {}),
          })),
          shippingAddress: address,
          shippingOption: option,
          paymentMethod:
            payment.type === 'card' ? { type: 'card', cardToken: payment.card.token } : { type: 'counter' },
        },
        idempotencyKey,
      );
      void reloadBasket();
      navigate(`/orders/${placed.orderId}`);
    } catch (failure) {
      setPlacing(false);
      if (failure instanceof ApiError && failure.code === 'ORDERING_UNKNOWN_CARD_TOKEN') {
        setError('The card could not be used. Please enter it again.');
        onCardRefused();
        return;
      }
      setError(messageOf(failure));
    }
  };

  return (
    <div className="review">
      <OrderBreakdown lines={lines} totals={totals} option={option} />
      <div className="review-details">
        <div>
          <h3>Deliver to</h3>
          <AddressSummary address={address} />
        </div>
        <div>
          <h3>Pay with</h3>
          <p>{paymentLabel(payment)}</p>
        </div>
      </div>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        className="button button-primary button-large"
        disabled={placing}
        onClick={() => void place()}
      >
        {placing ? 'Placing your order…' : `Place order · ${formatMoney(totals.total)}`}
      </button>
    </div>
  );
}
