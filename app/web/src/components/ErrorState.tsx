// Shown instead of content whenever a load fails: what happened, in words, and a way out (Retry,
// or Log in when the session has ended). role="alert" announces it without stealing focus.
import { Link, useLocation } from 'react-router';
import { ApiError, describeError } from '../api/client';

export function ErrorState({
  error,
  onRetry,
  title = 'Something went wrong',
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const loc = useLocation();
  const sessionEnded = error instanceof ApiError && error.status === 401;
  return (
    <div className="error-state" role="alert">
      <h2>{title}</h2>
      <p>{sessionEnded ? 'Your session has ended. Please log in again.' : describeError(error)}</p>
      {sessionEnded ? (
        <Link
          className="button"
          to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`}
        >
          Log in again
        </Link>
      ) : (
        onRetry && (
          <button type="button" className="button" onClick={onRetry}>
            Retry
          </button>
        )
      )}
    </div>
  );
}
