import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../api/client';
import type { Order } from '../api/types';
import type { CheckoutRequest } from '../lib/checkoutForm';
import { CheckoutForm } from './CheckoutForm';

const order: Order = { id: '42', status: 'paid', totalPaisa: 170100, items: [] };

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function fillValid(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('Name'), 'Ayesha Rahman');
  await user.type(screen.getByLabelText('Phone'), '01712345678');
  await user.type(screen.getByLabelText('Address'), 'House 12, Road 5, Dhanmondi');
  await user.type(screen.getByLabelText('City'), 'Dhaka');
  await user.type(screen.getByLabelText('Postal code'), '1205');
  await user.click(screen.getByLabelText('bKash'));
}

function setup(placeOrder: jest.Mock) {
  const onPlaced = jest.fn();
  let n = 0;
  const newKey = jest.fn(() => `key-${++n}`);
  render(<CheckoutForm placeOrder={placeOrder} onPlaced={onPlaced} newKey={newKey} />);
  return { onPlaced, newKey, user: userEvent.setup() };
}

describe('CheckoutForm', () => {
  it('shows a message for each invalid field, marks it invalid and sends nothing', async () => {
    const placeOrder = jest.fn();
    const { user } = setup(placeOrder);
    await user.type(screen.getByLabelText('Phone'), '12345');
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    expect(placeOrder).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Name')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Name')).toHaveAccessibleDescription(/Enter the name/);
    expect(screen.getByLabelText('Phone')).toHaveAccessibleDescription(/Bangladeshi mobile number/);
    expect(screen.getByLabelText('Postal code')).toHaveAccessibleDescription(/postal code/i);
    expect(screen.getByText('Choose a payment method.')).toBeInTheDocument();
    // Focus goes to the first field to fix, so keyboard users land in the right place.
    expect(screen.getByLabelText('Name')).toHaveFocus();
  });

  it('submits the order with one idempotency key and reports success', async () => {
    const placeOrder = jest.fn().mockResolvedValue(order);
    const { user, onPlaced } = setup(placeOrder);
    await fillValid(user);
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    expect(placeOrder).toHaveBeenCalledTimes(1);
    const [req, key] = placeOrder.mock.calls[0] as [CheckoutRequest, string];
    expect(req).toEqual({
      shippingAddress: {
        name: 'Ayesha Rahman',
        phone: '01712345678',
        line1: 'House 12, Road 5, Dhanmondi',
        city: 'Dhaka',
        postalCode: '1205',
      },
      paymentMethod: 'bkash',
    });
    expect(key).toBe('key-1');
    expect(onPlaced).toHaveBeenCalledWith(order);
  });

  it('sends a double click only once', async () => {
    const d = deferred<Order>();
    const placeOrder = jest.fn().mockReturnValue(d.promise);
    const { user } = setup(placeOrder);
    await fillValid(user);
    const button = screen.getByRole('button', { name: 'Place order' });
    await user.dblClick(button);
    expect(placeOrder).toHaveBeenCalledTimes(1);
    expect(button).toBeDisabled();
    await act(async () => d.resolve(order));
  });

  it('after a timeout shows an error with Retry, and the retry reuses the same key', async () => {
    const placeOrder = jest
      .fn()
      .mockRejectedValueOnce(new ApiError('timeout', 0, 'timeout', 'request timed out'))
      .mockResolvedValueOnce(order);
    const { user, onPlaced, newKey } = setup(placeOrder);
    await fillValid(user);
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/took too long.*Retrying is safe/);
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(placeOrder).toHaveBeenCalledTimes(2);
    expect(placeOrder.mock.calls[1][1]).toBe(placeOrder.mock.calls[0][1]);
    expect(newKey).toHaveBeenCalledTimes(1);
    expect(onPlaced).toHaveBeenCalledWith(order);
  });

  it('starts a new attempt (new key) after a definitive out-of-stock answer, naming the items', async () => {
    const placeOrder = jest
      .fn()
      .mockRejectedValueOnce(
        new ApiError('http', 409, 'out_of_stock', 'out of stock', {
          items: [{ productId: '7', name: 'Miniket rice 5kg' }],
        }),
      )
      .mockResolvedValueOnce(order);
    const { user } = setup(placeOrder);
    await fillValid(user);
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'no longer in stock: Miniket rice 5kg',
    );
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    expect(placeOrder.mock.calls.map((c) => c[1])).toEqual(['key-1', 'key-2']);
  });

  it('uses a new key when the customer changes the form after a failed attempt', async () => {
    const placeOrder = jest
      .fn()
      .mockRejectedValueOnce(new ApiError('unavailable', 503, 'unavailable', 'down'))
      .mockResolvedValueOnce(order);
    const { user } = setup(placeOrder);
    await fillValid(user);
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    await screen.findByRole('alert');
    await user.click(screen.getByLabelText('Cash on delivery'));
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    expect(placeOrder.mock.calls.map((c) => c[1])).toEqual(['key-1', 'key-2']);
    expect((placeOrder.mock.calls[1][0] as CheckoutRequest).paymentMethod).toBe('cod');
  });

  it('can be completed with the keyboard alone', async () => {
    const placeOrder = jest.fn().mockResolvedValue(order);
    const { user, onPlaced } = setup(placeOrder);
    await user.tab();
    expect(screen.getByLabelText('Name')).toHaveFocus();
    await user.keyboard('Ayesha Rahman');
    await user.tab();
    await user.keyboard('01712345678');
    await user.tab();
    await user.keyboard('House 12, Road 5');
    await user.tab();
    await user.keyboard('Dhaka');
    await user.tab();
    await user.keyboard('1205');
    await user.tab(); // into the payment radio group
    await user.keyboard(' ');
    expect(screen.getByLabelText('bKash')).toBeChecked();
    await user.keyboard('{Enter}');
    expect(placeOrder).toHaveBeenCalledTimes(1);
    expect(onPlaced).toHaveBeenCalled();
  });
});
