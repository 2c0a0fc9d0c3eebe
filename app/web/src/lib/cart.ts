// Cart arithmetic on integer paisa. The server's total is authoritative; these functions render
// line totals and detect when the server's answer disagrees with what we show.
import { wholeNumberOf } from '@dhakacart/numeric-text';
import { assertPaisa } from './money';

export interface CartLine {
  productId: string;
  quantity: number;
  pricePaisa: number;
}

export const MAX_QUANTITY = 99;

export function assertQuantity(q: unknown): asserts q is number {
  if (typeof q !== 'number' || !Number.isInteger(q) || q < 0 || q > MAX_QUANTITY) {
    throw new RangeError(`quantity must be an integer from 0 to ${MAX_QUANTITY}, got ${String(q)}`);
  }
}

export function lineTotal(line: CartLine): number {
  assertPaisa(line.pricePaisa);
  assertQuantity(line.quantity);
  return line.pricePaisa * line.quantity;
}

export function cartTotal(lines: readonly CartLine[]): number {
  return lines.reduce((sum, l) => sum + lineTotal(l), 0);
}

export function itemCount(lines: readonly CartLine[]): number {
  return lines.reduce((n, l) => n + l.quantity, 0);
}

/** The cart after setting one product's quantity; 0 removes the line, as the API does. */
export function withQuantity(
  lines: readonly CartLine[],
  productId: string,
  quantity: number,
  pricePaisa?: number,
): CartLine[] {
  assertQuantity(quantity);
  const existing = lines.find((l) => l.productId === productId);
  if (quantity === 0) return lines.filter((l) => l.productId !== productId);
  if (existing) return lines.map((l) => (l.productId === productId ? { ...l, quantity } : l));
  if (pricePaisa === undefined) throw new Error(`price needed to add product ${productId}`);
  return [...lines, { productId, quantity, pricePaisa }];
}

/** Parses a quantity typed into an input; null when it is not a whole number in range. */
export function parseQuantity(input: string): number | null {
  const q = wholeNumberOf(input.trim());
  return q <= MAX_QUANTITY ? q : null;
}

export function itemsLabel(n: number): string {
  return `${n} ${n === 1 ? 'item' : 'items'}`;
}
