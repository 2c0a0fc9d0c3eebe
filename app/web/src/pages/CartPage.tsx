import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { describeError } from '../api/client';
import type { CartItem } from '../api/types';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { Price } from '../components/Price';
import {
  cartTotal,
  itemCount,
  itemsLabel,
  lineTotal,
  MAX_QUANTITY,
  parseQuantity,
} from '../lib/cart';
import { useCart } from '../state/CartContext';
import { useSession } from '../state/SessionContext';
import { useQuery } from '../state/useQuery';
import { useTitle } from './useTitle';

export default function CartPage() {
  useTitle('Your cart · DhakaCart');
  const cartCtx = useCart();
  const { user } = useSession();
  const navigate = useNavigate();
  // Always re-read on opening the cart: another tab or device may have changed it.
  const query = useQuery(() => cartCtx.refresh(), [cartCtx.refresh]);
  const [pending, setPending] = useState<string | null>(null);
  const [lineError, setLineError] = useState<string | null>(null);

  if (query.state.status === 'loading' && !cartCtx.cart)
    return <Loading label="Loading your cart…" />;
  if (query.state.status === 'error') {
    return (
      <ErrorState
        error={query.state.error}
        onRetry={query.retry}
        title="Your cart could not be loaded"
      />
    );
  }
  const lines = cartCtx.cart?.items ?? [];

  const change = (line: CartItem, quantity: number) => {
    setPending(line.productId);
    setLineError(null);
    cartCtx
      .setQuantity(line.productId, quantity)
      .catch((e: unknown) => setLineError(describeError(e)))
      .finally(() => setPending(null));
  };

  return (
    <section>
      <h1>Your cart</h1>
      {lineError && (
        <p role="alert" className="field-error">
          {lineError}
        </p>
      )}
      {lines.length === 0 ? (
        <p>
          Your cart is empty. <Link to="/">Continue shopping</Link>
        </p>
      ) : (
        <>
          <table className="cart-table">
            <caption className="visually-hidden">Items in your cart</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Price</th>
                <th scope="col">Quantity</th>
                <th scope="col">Total</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => {
                const name = line.name ?? `Product ${line.productId}`;
                const max = Math.min(
                  MAX_QUANTITY,
                  Math.max(line.stock ?? MAX_QUANTITY, line.quantity),
                );
                return (
                  <tr key={line.productId}>
                    <td>
                      <Link to={`/p/${encodeURIComponent(line.productId)}`}>{name}</Link>
                      {line.stock !== undefined && line.stock < line.quantity && (
                        <span className="field-error">Only {line.stock} left in stock.</span>
                      )}
                    </td>
                    <td data-label="Price">
                      <Price paisa={line.pricePaisa} />
                    </td>
                    <td>
                      <QuantityInput
                        name={name}
                        value={line.quantity}
                        max={max}
                        disabled={pending === line.productId}
                        onCommit={(q) => change(line, q)}
                      />
                    </td>
                    <td data-label="Total">
                      <Price paisa={lineTotal(line)} />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        disabled={pending === line.productId}
                        onClick={() => change(line, 0)}
                      >
                        Remove<span className="visually-hidden"> {name}</span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="cart-total" aria-live="polite">
            {itemsLabel(itemCount(lines))} · Total:{' '}
            <Price paisa={cartCtx.cart?.totalPaisa ?? cartTotal(lines)} />
          </p>
          <button
            type="button"
            className="button primary"
            onClick={() => navigate(user ? '/checkout' : '/login?next=%2Fcheckout')}
            disabled={pending !== null}
          >
            Checkout
          </button>
          {!user && <p className="muted">You&apos;ll log in or register before paying.</p>}
        </>
      )}
    </section>
  );
}

function QuantityInput({
  name,
  value,
  max,
  disabled,
  onCommit,
}: {
  name: string;
  value: number;
  max: number;
  disabled: boolean;
  onCommit: (q: number) => void;
}) {
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  const [prev, setPrev] = useState(value);
  if (prev !== value) {
    setPrev(value);
    setText(String(value));
  }
  const commit = () => {
    const q = parseQuantity(text);
    if (q === null || q > max) {
      setError(`Enter 0 to ${max}.`);
      return;
    }
    setError(null);
    if (q !== value) onCommit(q);
  };
  return (
    <div className="qty">
      <button
        type="button"
        className="qty-step"
        aria-label={`Decrease quantity of ${name}`}
        disabled={disabled || value <= 1}
        onClick={() => onCommit(value - 1)}
      >
        −
      </button>
      <input
        type="number"
        inputMode="numeric"
        aria-label={`Quantity of ${name}`}
        min={0}
        max={max}
        value={text}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      <button
        type="button"
        className="qty-step"
        aria-label={`Increase quantity of ${name}`}
        disabled={disabled || value >= max}
        onClick={() => onCommit(value + 1)}
      >
        +
      </button>
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
