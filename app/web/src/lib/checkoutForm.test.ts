import {
  emptyCheckoutForm,
  toCheckoutRequest,
  validateCheckout,
  type CheckoutFormValues,
} from './checkoutForm';

const valid: CheckoutFormValues = {
  name: 'Ayesha Rahman',
  phone: '01712-345678',
  line1: 'House 12, Road 5, Dhanmondi',
  city: 'Dhaka',
  postalCode: '1205',
  paymentMethod: 'bkash',
};

describe('checkout form validation', () => {
  it('accepts a complete Bangladeshi address', () => {
    expect(validateCheckout(valid)).toEqual({});
  });

  it('names every missing field', () => {
    expect(Object.keys(validateCheckout(emptyCheckoutForm)).sort()).toEqual([
      'city',
      'line1',
      'name',
      'paymentMethod',
      'phone',
      'postalCode',
    ]);
  });

  it.each(['01712345678', '+8801712345678', '8801912345678', '017 1234 5678'])(
    'accepts the mobile number %s',
    (phone) => {
      expect(validateCheckout({ ...valid, phone }).phone).toBeUndefined();
    },
  );

  it.each(['0171234567', '01212345678', '12345678901', 'phone'])(
    'rejects the phone number %s',
    (phone) => {
      expect(validateCheckout({ ...valid, phone }).phone).toMatch(/Bangladeshi mobile/);
    },
  );

  it('requires a four-digit postal code', () => {
    expect(validateCheckout({ ...valid, postalCode: '12050' }).postalCode).toMatch(/four digits/);
    expect(validateCheckout({ ...valid, postalCode: 'abcd' }).postalCode).toMatch(/four digits/);
  });

  it('rejects an unknown payment method', () => {
    expect(
      validateCheckout({ ...valid, paymentMethod: 'paypal' as never }).paymentMethod,
    ).toBeDefined();
  });

  it('bounds lengths', () => {
    expect(validateCheckout({ ...valid, name: 'x'.repeat(101) }).name).toBeDefined();
    expect(validateCheckout({ ...valid, line1: 'x'.repeat(201) }).line1).toBeDefined();
    expect(validateCheckout({ ...valid, line1: 'abc' }).line1).toMatch(/too short/);
  });

  it('sends phone numbers in the local 01XXXXXXXXX form, whatever prefix was typed', () => {
    for (const phone of ['+8801712345678', '8801712345678', '0171-234 5678']) {
      expect(toCheckoutRequest({ ...valid, phone }).shippingAddress.phone).toBe('01712345678');
    }
  });

  it('builds the API body with trimmed values and a normalised phone', () => {
    expect(toCheckoutRequest({ ...valid, name: '  Ayesha Rahman ' })).toEqual({
      shippingAddress: {
        name: 'Ayesha Rahman',
        phone: '01712345678',
        line1: 'House 12, Road 5, Dhanmondi',
        city: 'Dhaka',
        postalCode: '1205',
      },
      paymentMethod: 'bkash',
    });
  });
});
