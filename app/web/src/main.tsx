import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { createApiStatus } from './api/apiStatus';
import { createApiClient } from './api/client';
import { endpoints } from './api/endpoints';
import { AppRoutes } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { reloadForStaleChunk } from './lib/staleChunks';
import { AppProvider } from './state/AppContext';
import { CartProvider } from './state/CartContext';
import { SessionProvider } from './state/SessionContext';
import './styles.css';

// While the API is down, probe a cheap cached read; any answer that isn't a 5xx means it is back.
const status = createApiStatus({
  probe: async () => {
    const ctrl = new AbortController();
    const t = setTimeout(() => ctrl.abort(), 5000);
    try {
      const r = await fetch('/api/categories', { signal: ctrl.signal, credentials: 'same-origin' });
      return r.status < 500;
    } finally {
      clearTimeout(t);
    }
  },
});
const api = endpoints(createApiClient({ status }));

// Every promise in the app is handled; this is the net that makes a slip visible in the console
// instead of an uncaught error report.
window.addEventListener('unhandledrejection', (e) => {
  console.error('unhandled rejection', e.reason);
  e.preventDefault();
});

window.addEventListener('vite:preloadError', (e) => {
  const reloaded = reloadForStaleChunk({
    now: () => Date.now(),
    storage: window.sessionStorage,
    reload: () => window.location.reload(),
  });
  if (reloaded) e.preventDefault();
});

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <AppProvider deps={{ api, status }}>
        <SessionProvider>
          <CartProvider>
            <BrowserRouter>
              <AppRoutes />
            </BrowserRouter>
          </CartProvider>
        </SessionProvider>
      </AppProvider>
    </ErrorBoundary>
  </StrictMode>,
);
