// Routes. Home is in the entry chunk (it is the landing page and must render without a second
// round trip); every other page is split out so the home page stays inside its JS budget.
import { lazy, Suspense } from 'react';
import { Route, Routes, useLocation } from 'react-router';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Layout } from './components/Layout';
import { Loading } from './components/Loading';
import { RequireLogin, RequireRole } from './components/RequireRole';
import HomePage from './pages/HomePage';

const CategoryPage = lazy(() => import('./pages/CategoryPage'));
const SearchPage = lazy(() => import('./pages/SearchPage'));
const ProductPage = lazy(() => import('./pages/ProductPage'));
const CartPage = lazy(() => import('./pages/CartPage'));
const CheckoutPage = lazy(() => import('./pages/CheckoutPage'));
const MyOrdersPage = lazy(() => import('./pages/MyOrdersPage'));
const OrderPage = lazy(() => import('./pages/OrderPage'));
const LoginPage = lazy(() => import('./pages/LoginPage'));
const RegisterPage = lazy(() => import('./pages/RegisterPage'));
const AdminProductsPage = lazy(() => import('./pages/admin/AdminProductsPage'));
const AdminOrdersPage = lazy(() => import('./pages/admin/AdminOrdersPage'));
const OpsPage = lazy(() => import('./pages/ops/OpsPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

export function AppRoutes() {
  const loc = useLocation();
  return (
    <Layout>
      <ErrorBoundary resetKey={loc.pathname}>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<HomePage />} />
            <Route path="/c/:slug" element={<CategoryPage />} />
            <Route path="/search" element={<SearchPage />} />
            <Route path="/p/:id" element={<ProductPage />} />
            <Route path="/cart" element={<CartPage />} />
            <Route path="/login" element={<LoginPage />} />
            <Route path="/register" element={<RegisterPage />} />
            <Route
              path="/checkout"
              element={
                <RequireLogin>
                  <CheckoutPage />
                </RequireLogin>
              }
            />
            <Route
              path="/orders"
              element={
                <RequireLogin>
                  <MyOrdersPage />
                </RequireLogin>
              }
            />
            <Route
              path="/orders/:id"
              element={
                <RequireLogin>
                  <OrderPage />
                </RequireLogin>
              }
            />
            <Route
              path="/admin/products"
              element={
                <RequireRole roles={['admin']}>
                  <AdminProductsPage />
                </RequireRole>
              }
            />
            <Route
              path="/admin/orders"
              element={
                <RequireRole roles={['staff', 'admin']}>
                  <AdminOrdersPage />
                </RequireRole>
              }
            />
            <Route
              path="/ops"
              element={
                <RequireRole roles={['staff', 'admin']}>
                  <OpsPage />
                </RequireRole>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </ErrorBoundary>
    </Layout>
  );
}
