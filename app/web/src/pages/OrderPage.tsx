import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import type { Product } from '../api/types';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { formatDate } from '../components/OrderTable';
import { Price } from '../components/Price';
import { lineTotal } from '../lib/cart';
import { PAYMENT_METHODS } from '../lib/checkoutForm';
import { useApi } from '../state/AppContext';
import { useQuery } from '../state/useQuery';
import { useTitle } from './useTitle';

export default function OrderPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const placed = params.get('placed') === '1';
  const api = useApi();
  useTitle(placed ? 'Order confirmed · DhakaCart' : `Order #${id} · DhakaCart`);
  const q = useQuery(
    async (signal) => {
      const order = await api.order(id, { signal });
      const products = await Promise.all(
        order.items.map((i) =>
          i.name ? null : api.product(i.productId, { signal }).catch(() => null),
        ),
      );
      const names = new Map<string, string>();
      products.forEach((p: Product | null) => p && names.set(p.id, p.name));
      return { order, names };
    },
    [api, id],
  );

  if (q.state.status === 'loading') return <Loading label="Loading order…" />;
  if (q.state.status === 'error') {
    if (q.state.error instanceof ApiError && q.state.error.status === 404) {
      return (
        <section>
          <h1>Order not found</h1>
          <p>
            We couldn&apos;t find that order. <Link to="/orders">See my orders</Link>
          </p>
        </section>
      );
    }
    return <ErrorState error={q.state.error} onRetry={q.retry} />;
  }
  const { order, names } = q.state.data;
  const method = PAYMENT_METHODS.find((m) => m.value === order.paymentMethod)?.label;
  return (
    <section>
      <h1>{placed ? 'Order confirmed' : `Order #${order.id}`}</h1>
      {placed && (
        <p className="notice" role="status">
          Thank you! Your order #{order.id} has been placed.
        </p>
      )}
      <dl className="order-facts">
        <dt>Order number</dt>
        <dd>#{order.id}</dd>
        <dt>Status</dt>
        <dd>{order.status}</dd>
        {order.createdAt && (
          <>
            <dt>Placed</dt>
            <dd>{formatDate(order.createdAt)}</dd>
          </>
        )}
        {method && (
          <>
            <dt>Payment</dt>
            <dd>{method}</dd>
          </>
        )}
      </dl>
      <table className="order-table">
        <caption>Items</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Price</th>
            <th scope="col">Quantity</th>
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((i) => (
            <tr key={i.productId}>
              <td>
                <Link to={`/p/${encodeURIComponent(i.productId)}`}>
                  {i.name ?? names.get(i.productId) ?? `Product ${i.productId}`}
                </Link>
              </td>
              <td>
                <Price paisa={i.pricePaisa} />
              </td>
              <td>{i.quantity}</td>
              <td>
                <Price paisa={lineTotal(i)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="cart-total">
        Total: <Price paisa={order.totalPaisa} />
      </p>
      <p>
        <Link to="/orders">See all my orders</Link>
      </p>
    </section>
  );
}
