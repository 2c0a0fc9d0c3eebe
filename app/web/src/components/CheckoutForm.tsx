// The checkout form. One idempotency key per attempt: it is created on the first "Place order"
// and reused for every retry of the same body, so a double click, a timeout or a retry after the
// API came back can never create two orders. A definitive answer from the API (4xx) ends the
// attempt; a changed form starts a new one.
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../api/client';
import type { Order } from '../api/types';
import {
  emptyCheckoutForm,
  PAYMENT_METHODS,
  toCheckoutRequest,
  validateCheckout,
  type CheckoutErrors,
  type CheckoutField,
  type CheckoutFormValues,
  type CheckoutRequest,
} from '../lib/checkoutForm';
import { newIdempotencyKey } from '../lib/idempotency';

export interface CheckoutFormProps {
  placeOrder: (req: CheckoutRequest, idempotencyKey: string) => Promise<Order>;
  onPlaced: (order: Order) => void;
  initial?: Partial<CheckoutFormValues>;
  newKey?: () => string;
}

const FIELDS: {
  field: Exclude<CheckoutField, 'paymentMethod'>;
  label: string;
  autoComplete: string;
  type?: string;
  inputMode?: 'tel' | 'numeric';
}[] = [
  { field: 'name', label: 'Name', autoComplete: 'name' },
  { field: 'phone', label: 'Phone', autoComplete: 'tel', type: 'tel', inputMode: 'tel' },
  { field: 'line1', label: 'Address', autoComplete: 'street-address' },
  { field: 'city', label: 'City', autoComplete: 'address-level2' },
  { field: 'postalCode', label: 'Postal code', autoComplete: 'postal-code', inputMode: 'numeric' },
];

const RETRYABLE = new Set(['timeout', 'network', 'unavailable']);

function isRetryable(e: unknown): boolean {
  return e instanceof ApiError && (RETRYABLE.has(e.kind) || e.status >= 500);
}

function failureText(e: unknown): string {
  if (e instanceof ApiError && e.status === 409) {
    const items = (e.details as { items?: { productId?: unknown; name?: unknown }[] } | undefined)
      ?.items;
    const names = Array.isArray(items)
      ? items.map((i) => String(i.name ?? i.productId)).join(', ')
      : '';
    return `Some items are no longer in stock${names ? `: ${names}` : ''}. Update your cart and try again.`;
  }
  if (e instanceof ApiError && e.status === 402)
    return 'The payment was declined. No money was taken; you can try again or choose another payment method.';
  if (isRetryable(e))
    return `${describeError(e)} Retrying is safe: it never creates a second order.`;
  return describeError(e);
}

export function CheckoutForm({
  placeOrder,
  onPlaced,
  initial,
  newKey = newIdempotencyKey,
}: CheckoutFormProps) {
  const [values, setValues] = useState<CheckoutFormValues>({ ...emptyCheckoutForm, ...initial });
  const [errors, setErrors] = useState<CheckoutErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ text: string; retryable: boolean } | null>(null);
  const attempt = useRef<{ key: string; body: string } | null>(null);
  const inFlight = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);

  const set = (field: CheckoutField, value: string) => {
    const next = { ...values, [field]: value } as CheckoutFormValues;
    setValues(next);
    if (submitted) setErrors(validateCheckout(next));
  };

  const send = () => {
    const v = validateCheckout(values);
    setErrors(v);
    setSubmitted(true);
    const firstInvalid = Object.keys(v)[0] as CheckoutField | undefined;
    if (firstInvalid) {
      const el = formRef.current?.querySelector<HTMLElement>(`[name="${firstInvalid}"]`);
      el?.focus();
      return;
    }
    if (inFlight.current) return; // a double click before React re-rendered the disabled button
    const req = toCheckoutRequest(values);
    const body = JSON.stringify(req);
    if (!attempt.current || attempt.current.body !== body)
      attempt.current = { key: newKey(), body };
    const key = attempt.current.key;
    inFlight.current = true;
    setBusy(true);
    setFailure(null);
    placeOrder(req, key)
      .then(
        (order) => {
          attempt.current = null;
          onPlaced(order);
        },
        (e: unknown) => {
          const retryable = isRetryable(e);
          if (!retryable) attempt.current = null; // the API gave a definitive answer: next try is new
          setFailure({ text: failureText(e), retryable });
        },
      )
      .finally(() => {
        inFlight.current = false;
        setBusy(false);
      });
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    send();
  };

  const errorId = (f: CheckoutField) => `checkout-${f}-error`;

  return (
    <form ref={formRef} className="checkout-form" onSubmit={onSubmit} noValidate aria-busy={busy}>
      <fieldset>
        <legend>Shipping address</legend>
        {FIELDS.map(({ field, label, autoComplete, type, inputMode }) => (
          <div className="field" key={field}>
            <label htmlFor={`checkout-${field}`}>{label}</label>
            <input
              id={`checkout-${field}`}
              name={field}
              type={type ?? 'text'}
              inputMode={inputMode}
              autoComplete={autoComplete}
              value={values[field]}
              onChange={(e) => set(field, e.target.value)}
              aria-invalid={errors[field] ? true : undefined}
              aria-describedby={errors[field] ? errorId(field) : undefined}
              required
            />
            {errors[field] && (
              <span className="field-error" id={errorId(field)}>
                {errors[field]}
              </span>
            )}
          </div>
        ))}
      </fieldset>
      <fieldset aria-describedby={errors.paymentMethod ? errorId('paymentMethod') : undefined}>
        <legend>Payment method</legend>
        {PAYMENT_METHODS.map((m) => (
          <label key={m.value} className="radio">
            <input
              type="radio"
              name="paymentMethod"
              value={m.value}
              checked={values.paymentMethod === m.value}
              onChange={() => set('paymentMethod', m.value)}
            />{' '}
            {m.label}
          </label>
        ))}
        {errors.paymentMethod && (
          <span className="field-error" id={errorId('paymentMethod')}>
            {errors.paymentMethod}
          </span>
        )}
      </fieldset>
      {failure && (
        <div role="alert" className="error-state">
          <p>{failure.text}</p>
          {failure.retryable && (
            <button type="button" className="button" onClick={send} disabled={busy}>
              Retry
            </button>
          )}
        </div>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        Place order
      </button>
      {busy && (
        <p role="status" className="loading">
          Placing your order…
        </p>
      )}
    </form>
  );
}
