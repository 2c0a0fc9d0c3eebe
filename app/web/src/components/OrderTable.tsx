import { Link } from 'react-router';
import type { Order } from '../api/types';
import { itemCount } from '../lib/cart';
import { Price } from './Price';

export function formatDate(iso?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ''
    : d.toLocaleString('en-GB', {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: 'Asia/Dhaka',
      });
}

export function OrderTable({
  orders,
  caption,
  showCustomer = false,
  linkOrders = true,
}: {
  orders: Order[];
  caption: string;
  showCustomer?: boolean;
  linkOrders?: boolean;
}) {
  return (
    <table className="order-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Placed</th>
          {showCustomer && <th scope="col">Customer</th>}
          <th scope="col">Items</th>
          <th scope="col">Status</th>
          <th scope="col">Total</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o.id}>
            <td>
              {linkOrders ? (
                <Link to={`/orders/${encodeURIComponent(o.id)}`}>#{o.id}</Link>
              ) : (
                `#${o.id}`
              )}
            </td>
            <td>{formatDate(o.createdAt)}</td>
            {showCustomer && <td>{o.shippingAddress?.name ?? o.userId ?? ''}</td>}
            <td>{itemCount(o.items)}</td>
            <td>{o.status}</td>
            <td>
              <Price paisa={o.totalPaisa} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
