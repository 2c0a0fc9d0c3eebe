import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { describeError } from '../api/client';
import type { Product } from '../api/types';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { Price } from '../components/Price';
import { ProductImage } from '../components/ProductImage';
import { cartTotal, lineTotal, parseQuantity, type CartLine } from '../lib/cart';
import { useApi } from '../state/AppContext';
import { useCart } from '../state/CartContext';
import { useSession } from '../state/SessionContext';
import { useQuery } from '../state/useQuery';
import { useTitle } from './useTitle';

export default function CartPage() {
  useTitle('Your cart · DhakaCart');
  const { user } = useSession();
  if (user === undefined) return <Loading />;
  if (user === null) {
    return (
      <section>
        <h1>Your cart</h1>
        <p>
          <Link to="/login?next=%2Fcart">Log in</Link> or{' '}
          <Link to="/register?next=%2Fcart">register</Link> to see your cart.
        </p>
      </section>
    );
  }
  return <CartContents />;
}

function CartContents() {
  const api = useApi();
  const cartCtx = useCart();
  const navigate = useNavigate();
  // The cart API returns ids and prices; names and images come from the product endpoint.
  const query = useQuery(
    async (signal) => {
      const cart = await cartCtx.refresh();
      const products = await Promise.all(
        cart.items.map((i) => api.product(i.productId, { signal }).catch(() => null)),
      );
      const byId = new Map<string, Product>();
      products.forEach((p) => p && byId.set(p.id, p));
      return { byId };
    },
    [api],
  );
  const [pending, setPending] = useState<string | null>(null);
  const [lineError, setLineError] = useState<string | null>(null);

  if (query.state.status === 'loading') return <Loading label="Loading your cart…" />;
  if (query.state.status === 'error')
    return <ErrorState error={query.state.error} onRetry={query.retry} />;
  const { byId } = query.state.data;
  const lines = cartCtx.cart?.items ?? [];

  const change = (line: CartLine, quantity: number) => {
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
                const p = byId.get(line.productId);
                const name = p?.name ?? `Product ${line.productId}`;
                return (
                  <tr key={line.productId}>
                    <td>
                      <div className="cart-product">
                        <ProductImage url={p?.imageUrl ?? ''} alt="" size={64} />
                        <Link to={`/p/${encodeURIComponent(line.productId)}`}>{name}</Link>
                      </div>
                    </td>
                    <td>
                      <Price paisa={line.pricePaisa} />
                    </td>
                    <td>
                      <QuantityInput
                        name={name}
                        value={line.quantity}
                        max={Math.min(99, p ? Math.max(p.stock, line.quantity) : 99)}
                        disabled={pending === line.productId}
                        onCommit={(q) => change(line, q)}
                      />
                    </td>
                    <td>
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
          <p className="cart-total">
            Total: <Price paisa={cartCtx.cart?.totalPaisa ?? cartTotal(lines)} />
          </p>
          <button
            type="button"
            className="button primary"
            onClick={() => navigate('/checkout')}
            disabled={pending !== null}
          >
            Checkout
          </button>
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
  const id = `qty-${name.replace(/\W+/g, '-')}`;
  return (
    <div className="qty">
      <label htmlFor={id} className="visually-hidden">
        Quantity for {name}
      </label>
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
        id={id}
        type="number"
        inputMode="numeric"
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
