// Shown instead of content whenever a load fails: what happened, in words, and a way to retry.
import { useEffect, useRef } from 'react';
import { describeError } from '../api/client';

export function ErrorState({
  error,
  onRetry,
  title = 'Something went wrong',
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div className="error-state" role="alert" tabIndex={-1} ref={ref}>
      <h2>{title}</h2>
      <p>{describeError(error)}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
