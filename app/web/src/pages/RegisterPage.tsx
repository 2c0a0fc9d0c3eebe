import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../api/client';
import { useApi } from '../state/AppContext';
import { useSession } from '../state/SessionContext';
import { Field, safeNext } from './authForm';
import { useTitle } from './useTitle';

export interface RegisterErrors {
  name?: string;
  email?: string;
  password?: string;
}

export function validateRegistration(
  name: string,
  email: string,
  password: string,
): RegisterErrors {
  const e: RegisterErrors = {};
  if (!name.trim()) e.name = 'Enter your name.';
  else if (name.trim().length > 100) e.name = 'Name must be at most 100 characters.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim()))
    e.email = 'Enter an email address like name@example.com.';
  if (password.length < 10) e.password = 'Use at least 10 characters.';
  else if (password.length > 128) e.password = 'Use at most 128 characters.';
  return e;
}

export default function RegisterPage() {
  useTitle('Register · DhakaCart');
  const api = useApi();
  const { setUser } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<RegisterErrors>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const v = validateRegistration(name, email, password);
    setErrors(v);
    if (Object.keys(v).length) return;
    setBusy(true);
    setError(null);
    try {
      await api.register(email.trim(), password, name.trim());
      // Registration may or may not start a session; logging in makes sure it does.
      const u = await api.login(email.trim(), password);
      setUser(u);
      navigate(next, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409)
        setError('An account with this email already exists. Log in instead.');
      else setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="auth">
      <h1>Create your account</h1>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field
          id="name"
          label="Name"
          value={name}
          onChange={setName}
          autoComplete="name"
          error={errors.name}
        />
        <Field
          id="email"
          label="Email"
          type="email"
          value={email}
          onChange={setEmail}
          autoComplete="email"
          error={errors.email}
        />
        <Field
          id="password"
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          error={errors.password}
        />
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          Register
        </button>
      </form>
      <p>
        Already have an account? <Link to={`/login?next=${encodeURIComponent(next)}`}>Log in</Link>
      </p>
    </section>
  );
}
