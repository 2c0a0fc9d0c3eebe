import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { OrderTable } from '../../components/OrderTable';
import { useApi } from '../../state/AppContext';
import { useQuery } from '../../state/useQuery';
import { useTitle } from '../useTitle';

export default function AdminOrdersPage() {
  useTitle('All orders · Admin · DhakaCart');
  const api = useApi();
  const orders = useQuery((signal) => api.adminOrders({ signal }), [api]);
  return (
    <section>
      <h1>All orders</h1>
      {orders.state.status === 'loading' && <Loading label="Loading orders…" />}
      {orders.state.status === 'error' && (
        <ErrorState error={orders.state.error} onRetry={orders.retry} />
      )}
      {orders.state.status === 'success' &&
        (orders.state.data.length === 0 ? (
          <p>No orders yet.</p>
        ) : (
          <OrderTable
            orders={orders.state.data}
            caption={`${orders.state.data.length} orders`}
            showCustomer
            linkOrders={false}
          />
        ))}
    </section>
  );
}
