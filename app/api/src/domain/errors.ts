/** An error the API answers with `{"error":{"code","message"}}` and the given status. */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: Record<string, unknown>,
    public readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const unauthorized = () => new AppError(401, 'unauthenticated', 'log in first');
export const forbidden = () => new AppError(403, 'forbidden', 'your role may not do this');

/** The contract's bound on an error message (`error.message`, maxLength 500 in the OpenAPI). */
export const MAX_ERROR_MESSAGE = 500;

/**
 * A message that names things from a list (products, fields): the first few, then how many
 * more, so that it stays short and within the contract however long the list. The whole list
 * belongs in `details`.
 */
export function listMessage(prefix: string, names: string[], show = 3): string {
  const shown = names.slice(0, show).map((n) => (n.length > 80 ? `${n.slice(0, 79)}…` : n));
  const more = names.length - shown.length;
  return `${prefix}${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** Any message clamped to the contract's bound (a last line of defence; say less at the source). */
export function boundedMessage(message: string): string {
  return message.length <= MAX_ERROR_MESSAGE
    ? message
    : `${message.slice(0, MAX_ERROR_MESSAGE - 1)}…`;
}
