import { Link } from 'react-router';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { OrderTable } from '../components/OrderTable';
import { useApi } from '../state/AppContext';
import { useQuery } from '../state/useQuery';
import { useTitle } from './useTitle';

export default function MyOrdersPage() {
  useTitle('My orders · DhakaCart');
  const api = useApi();
  const orders = useQuery((signal) => api.orders({ signal }), [api]);
  return (
    <section>
      <h1>My orders</h1>
      {orders.state.status === 'loading' && <Loading label="Loading your orders…" />}
      {orders.state.status === 'error' && (
        <ErrorState error={orders.state.error} onRetry={orders.retry} />
      )}
      {orders.state.status === 'success' &&
        (orders.state.data.length === 0 ? (
          <p>
            You haven&apos;t placed any orders yet. <Link to="/">Start shopping</Link>
          </p>
        ) : (
          <OrderTable orders={orders.state.data} caption="Your orders, newest first" />
        ))}
    </section>
  );
}
