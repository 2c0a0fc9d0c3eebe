// A plain sentence at the top of every page while the API is unreachable. It disappears by
// itself: the API status store probes in the background and flips back to "up".
import { useApiHealth } from '../state/AppContext';

export function ApiDownBanner() {
  const health = useApiHealth();
  if (health === 'up') return null;
  return (
    <div className="api-down" role="alert">
      <strong>The store is having trouble right now.</strong> We can&apos;t reach our servers, so
      prices, stock and your cart may not load. This page will reconnect automatically.
    </div>
  );
}
