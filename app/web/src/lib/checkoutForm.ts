// Client-side checks mirror the API's so a customer on a slow network learns about a typo before
// a round trip. The API validates again; these messages are only a convenience.

export const PAYMENT_METHODS = [
  { value: 'bkash', label: 'bKash' },
  { value: 'nagad', label: 'Nagad' },
  { value: 'card', label: 'Card' },
  { value: 'cod', label: 'Cash on delivery' },
] as const;

export type PaymentMethod = (typeof PAYMENT_METHODS)[number]['value'];

export interface CheckoutFormValues {
  name: string;
  phone: string;
  line1: string;
  city: string;
  postalCode: string;
  paymentMethod: PaymentMethod | '';
}

export type CheckoutField = keyof CheckoutFormValues;
export type CheckoutErrors = Partial<Record<CheckoutField, string>>;

export interface ShippingAddress {
  name: string;
  phone: string;
  line1: string;
  city: string;
  postalCode: string;
}

export interface CheckoutRequest {
  shippingAddress: ShippingAddress;
  paymentMethod: PaymentMethod;
}

export const emptyCheckoutForm: CheckoutFormValues = {
  name: '',
  phone: '',
  line1: '',
  city: '',
  postalCode: '',
  paymentMethod: '',
};

// Bangladeshi mobile numbers: 01[3-9] and eight more digits, optionally with +88/88 in front.
const PHONE = /^(?:\+?88)?01[3-9]\d{8}$/;
const POSTAL = /^\d{4}$/;

/** "+880 1712-345678" -> "01712345678": the local form, which every part of the system accepts. */
export function normalizePhone(phone: string): string {
  return phone.replace(/[\s-]/g, '').replace(/^\+?88(?=01)/, '');
}

export function validateCheckout(v: CheckoutFormValues): CheckoutErrors {
  const e: CheckoutErrors = {};
  const name = v.name.trim();
  if (!name) e.name = 'Enter the name of the person receiving the order.';
  else if (name.length > 100) e.name = 'Name must be at most 100 characters.';
  const phone = normalizePhone(v.phone);
  if (!phone) e.phone = 'Enter a mobile number.';
  else if (!PHONE.test(phone)) e.phone = 'Enter a Bangladeshi mobile number, like 01712345678.';
  const line1 = v.line1.trim();
  if (!line1) e.line1 = 'Enter the delivery address.';
  else if (line1.length < 5) e.line1 = 'Address is too short.';
  else if (line1.length > 200) e.line1 = 'Address must be at most 200 characters.';
  const city = v.city.trim();
  if (!city) e.city = 'Enter the city.';
  else if (city.length > 60) e.city = 'City must be at most 60 characters.';
  if (!v.postalCode.trim()) e.postalCode = 'Enter the postal code.';
  else if (!POSTAL.test(v.postalCode.trim()))
    e.postalCode = 'Postal code is four digits, like 1207.';
  if (!PAYMENT_METHODS.some((m) => m.value === v.paymentMethod)) {
    e.paymentMethod = 'Choose a payment method.';
  }
  return e;
}

/** The request body for POST /api/orders; call only when validateCheckout found nothing. */
export function toCheckoutRequest(v: CheckoutFormValues): CheckoutRequest {
  if (v.paymentMethod === '') throw new Error('payment method missing');
  return {
    shippingAddress: {
      name: v.name.trim(),
      phone: normalizePhone(v.phone),
      line1: v.line1.trim(),
      city: v.city.trim(),
      postalCode: v.postalCode.trim(),
    },
    paymentMethod: v.paymentMethod,
  };
}
