import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { ApiError } from '../api/client';
import { ErrorState } from './ErrorState';

const renderAt = (ui: React.ReactElement) =>
  render(<MemoryRouter initialEntries={['/orders']}>{ui}</MemoryRouter>);

describe('ErrorState', () => {
  it.each([
    [new ApiError('timeout', 0, 'timeout', 't'), /took too long/],
    [new ApiError('network', 0, 'network', 'n'), /could not reach the store/],
    [new ApiError('unavailable', 503, 'service_unavailable', 'db down'), /temporarily unavailable/],
    [
      new ApiError('http', 422, 'idempotency_mismatch', 'that key was used for another order'),
      /that key was used/,
    ],
    [new Error('boom'), /Something went wrong/],
  ])('explains %p in words and offers Retry', async (error, text) => {
    const onRetry = jest.fn();
    renderAt(<ErrorState error={error} onRetry={onRetry} />);
    expect(screen.getByRole('alert')).toHaveTextContent(text);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('offers to log in again, back to the same page, when the session has ended', () => {
    renderAt(
      <ErrorState
        error={new ApiError('http', 401, 'unauthorized', 'log in')}
        onRetry={jest.fn()}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Your session has ended');
    expect(screen.getByRole('link', { name: 'Log in again' })).toHaveAttribute(
      'href',
      '/login?next=%2Forders',
    );
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
  });
});
