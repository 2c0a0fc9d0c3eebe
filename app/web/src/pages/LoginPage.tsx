import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../api/client';
import { useApi } from '../state/AppContext';
import { useSession } from '../state/SessionContext';
import { Field, safeNext } from './authForm';
import { useTitle } from './useTitle';

export default function LoginPage() {
  useTitle('Log in · DhakaCart');
  const api = useApi();
  const { setUser } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!email.trim() || !password) {
      setError('Enter your email and password.');
      return;
    }
    setBusy(true);
    setError(null);
    api
      .login(email.trim(), password)
      .then(
        (u) => {
          setUser(u);
          navigate(next, { replace: true });
        },
        (err: unknown) => {
          if (err instanceof ApiError && err.status === 401)
            setError('That email and password don’t match an account.');
          else if (err instanceof ApiError && err.status === 429)
            setError('Too many attempts. Please wait a few minutes and try again.');
          else setError(describeError(err));
        },
      )
      .finally(() => setBusy(false));
  };

  return (
    <section className="auth">
      <h1>Log in</h1>
      <form onSubmit={submit} noValidate>
        <Field
          id="email"
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="username"
        />
        <Field
          id="password"
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
        />
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          Log in
        </button>
      </form>
      <p>
        New to DhakaCart?{' '}
        <Link to={`/register?next=${encodeURIComponent(next)}`}>Create an account</Link>
      </p>
    </section>
  );
}
