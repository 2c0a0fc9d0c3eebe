import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, NavLink, useNavigate, useSearchParams } from 'react-router';
import { describeError } from '../api/client';
import { useCart } from '../state/CartContext';
import { useSession } from '../state/SessionContext';
import { ApiDownBanner } from './ApiDownBanner';

function SearchBox() {
  const [params] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const navigate = useNavigate();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const term = q.trim();
    if (term) navigate(`/search?q=${encodeURIComponent(term)}`);
  };
  return (
    <form role="search" className="search" onSubmit={submit}>
      <label htmlFor="site-search" className="visually-hidden">
        Search
      </label>
      <input
        id="site-search"
        type="search"
        name="q"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="Search products"
        maxLength={100}
        autoComplete="off"
      />
      <button type="submit" className="button">
        Go
      </button>
    </form>
  );
}

function AccountNav() {
  const { user, logout } = useSession();
  const { count } = useCart();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const onLogout = () => {
    setError(null);
    logout().then(
      () => navigate('/'),
      (e: unknown) => setError(describeError(e)),
    );
  };
  return (
    <nav aria-label="Account" className="account-nav">
      <NavLink to="/cart">Cart ({count})</NavLink>
      {user && <NavLink to="/orders">My orders</NavLink>}
      {user && (user.role === 'admin' || user.role === 'staff') && (
        <NavLink to={user.role === 'admin' ? '/admin/products' : '/admin/orders'}>Admin</NavLink>
      )}
      {user && (user.role === 'admin' || user.role === 'staff') && <NavLink to="/ops">Ops</NavLink>}
      {user ? (
        <button type="button" className="link-button" onClick={onLogout}>
          Log out
        </button>
      ) : (
        <>
          <NavLink to="/login">Log in</NavLink>
          <NavLink to="/register">Register</NavLink>
        </>
      )}
      {error && (
        <span role="alert" className="field-error">
          {error}
        </span>
      )}
    </nav>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          DhakaCart
        </Link>
        <SearchBox />
        <AccountNav />
      </header>
      <ApiDownBanner />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>DhakaCart · Prices in Bangladeshi taka (৳), VAT included.</p>
      </footer>
    </>
  );
}
