import { checkoutBody } from './validate';

const withPhone = (phone: string) => ({
  shippingAddress: { name: 'A', phone, line1: 'Road 1', city: 'Dhaka', postalCode: '1205' },
  paymentMethod: 'cod',
});

test('Bangladeshi mobile numbers are accepted in local and international form', () => {
  for (const ok of ['01712345678', '8801712345678', '+8801712345678', '01912345678']) {
    expect(checkoutBody.safeParse(withPhone(ok)).success).toBe(true);
  }
  for (const bad of [
    '+88001712345678',
    '0171234567',
    '01212345678',
    '+1 555 0100',
    '017123456789',
  ]) {
    expect(checkoutBody.safeParse(withPhone(bad)).success).toBe(false);
  }
});
