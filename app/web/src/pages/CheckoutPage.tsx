import { Link, useNavigate } from 'react-router';
import { CheckoutForm } from '../components/CheckoutForm';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { Price } from '../components/Price';
import { itemCount, itemsLabel } from '../lib/cart';
import { useApi } from '../state/AppContext';
import { useCart } from '../state/CartContext';
import { useSession } from '../state/SessionContext';
import { useQuery } from '../state/useQuery';
import { useTitle } from './useTitle';

export default function CheckoutPage() {
  useTitle('Checkout · DhakaCart');
  const api = useApi();
  const cartCtx = useCart();
  const { user } = useSession();
  const navigate = useNavigate();
  const cart = useQuery(() => cartCtx.refresh(), [cartCtx.refresh]);

  if (cart.state.status === 'loading') return <Loading label="Loading your cart…" />;
  if (cart.state.status === 'error')
    return <ErrorState error={cart.state.error} onRetry={cart.retry} />;
  const c = cart.state.data;
  if (c.items.length === 0) {
    return (
      <section>
        <h1>Checkout</h1>
        <p>
          Your cart is empty. <Link to="/">Continue shopping</Link>
        </p>
      </section>
    );
  }
  return (
    <section>
      <h1>Checkout</h1>
      <p className="checkout-summary">
        {itemsLabel(itemCount(c.items))}, total <Price paisa={c.totalPaisa} />.{' '}
        <Link to="/cart">Edit cart</Link>
      </p>
      <CheckoutForm
        initial={{ name: user?.name ?? '' }}
        placeOrder={(req, key) => api.placeOrder(req, key)}
        onPlaced={(order) => {
          cartCtx.clearLocal();
          navigate(`/orders/${encodeURIComponent(order.id)}?placed=1`, { replace: true });
        }}
      />
    </section>
  );
}
