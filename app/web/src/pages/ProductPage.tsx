import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, describeError } from '../api/client';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { Price } from '../components/Price';
import { ProductImage } from '../components/ProductImage';
import { StockBadge } from '../components/StockBadge';
import { parseQuantity } from '../lib/cart';
import { useApi } from '../state/AppContext';
import { useCart } from '../state/CartContext';
import { useQuery } from '../state/useQuery';
import { useTitle } from './useTitle';

export default function ProductPage() {
  const { id = '' } = useParams();
  const api = useApi();
  const product = useQuery((signal) => api.product(id, { signal }), [api, id]);
  useTitle(
    product.state.status === 'success'
      ? `${product.state.data.name} · DhakaCart`
      : 'Product · DhakaCart',
  );

  if (product.state.status === 'loading') return <Loading label="Loading product…" />;
  if (product.state.status === 'error') {
    const e = product.state.error;
    // A malformed id is a 400 from the API: for the shopper it is the same missing product.
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) {
      return (
        <section>
          <h1>Product not found</h1>
          <p>
            This product doesn&apos;t exist or was removed. <Link to="/">Back to the shop</Link>
          </p>
        </section>
      );
    }
    return <ErrorState error={e} onRetry={product.retry} />;
  }
  const p = product.state.data;
  return (
    <article className="product-detail">
      <ProductImage url={p.imageUrl} alt={p.name} size={400} eager />
      <div>
        <h1>{p.name}</h1>
        <p className="sku">SKU {p.sku}</p>
        <p className="big-price">
          <Price paisa={p.pricePaisa} />
        </p>
        <p>
          <StockBadge stock={p.stock} />
        </p>
        {p.description && <p>{p.description}</p>}
        <AddToCart productId={p.id} stock={p.stock} />
      </div>
    </article>
  );
}

function AddToCart({ productId, stock }: { productId: string; stock: number }) {
  const { addToCart } = useCart();
  const [qty, setQty] = useState('1');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const max = Math.max(0, Math.min(stock, 99));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const q = parseQuantity(qty);
    if (q === null || q < 1 || q > max) {
      setMessage({ ok: false, text: `Choose a quantity from 1 to ${max}.` });
      return;
    }
    setBusy(true);
    setMessage(null);
    addToCart(productId, q)
      .then(
        () => setMessage({ ok: true, text: 'Added to your cart.' }),
        (err: unknown) => setMessage({ ok: false, text: describeError(err) }),
      )
      .finally(() => setBusy(false));
  };

  if (stock <= 0) return <p>This product is out of stock.</p>;
  return (
    <form className="add-to-cart" onSubmit={submit}>
      <label htmlFor="qty">Quantity</label>
      <input
        id="qty"
        type="number"
        inputMode="numeric"
        min={1}
        max={max}
        value={qty}
        onChange={(e) => setQty(e.target.value)}
      />
      <button type="submit" className="button primary" disabled={busy}>
        Add to cart
      </button>
      <div aria-live="polite">
        {message && (
          <p
            className={message.ok ? 'notice' : 'field-error'}
            role={message.ok ? 'status' : 'alert'}
          >
            {message.text} {message.ok && <Link to="/cart">View cart</Link>}
          </p>
        )}
      </div>
    </form>
  );
}
