import {
  itemsLabel,
  cartTotal,
  itemCount,
  lineTotal,
  parseQuantity,
  withQuantity,
  type CartLine,
} from './cart';

const rice: CartLine = { productId: 'rice', quantity: 2, pricePaisa: 85050 };
const tea: CartLine = { productId: 'tea', quantity: 3, pricePaisa: 12099 };

describe('cart arithmetic', () => {
  it('multiplies unit price by quantity in integer paisa', () => {
    expect(lineTotal(rice)).toBe(170100);
    expect(lineTotal(tea)).toBe(36297);
  });

  it('sums line totals exactly, with no floating-point drift', () => {
    // 0.1 + 0.2 style drift would show up here if money were floats.
    const lines = Array.from({ length: 10 }, (_, i) => ({
      productId: String(i),
      quantity: 1,
      pricePaisa: 10,
    }));
    expect(cartTotal(lines)).toBe(100);
    expect(cartTotal([rice, tea])).toBe(206397);
    expect(cartTotal([])).toBe(0);
  });

  it('counts items across lines', () => {
    expect(itemCount([rice, tea])).toBe(5);
    expect(itemsLabel(1)).toBe('1 item');
    expect(itemsLabel(5)).toBe('5 items');
  });

  it('changes a quantity, adds a line and removes a line at 0', () => {
    expect(withQuantity([rice, tea], 'tea', 5)).toEqual([rice, { ...tea, quantity: 5 }]);
    expect(withQuantity([rice], 'tea', 1, 12099)).toEqual([rice, { ...tea, quantity: 1 }]);
    expect(withQuantity([rice, tea], 'rice', 0)).toEqual([tea]);
  });

  it('refuses impossible quantities and prices', () => {
    expect(() => withQuantity([rice], 'rice', -1)).toThrow(RangeError);
    expect(() => withQuantity([rice], 'rice', 1.5)).toThrow(RangeError);
    expect(() => withQuantity([rice], 'rice', 100)).toThrow(RangeError);
    expect(() => lineTotal({ productId: 'x', quantity: 1, pricePaisa: 10.5 })).toThrow();
    expect(() => withQuantity([], 'new', 1)).toThrow(/price needed/);
  });

  it('parses typed quantities', () => {
    expect(parseQuantity('3')).toBe(3);
    expect(parseQuantity(' 0 ')).toBe(0);
    expect(parseQuantity('99')).toBe(99);
    expect(parseQuantity('100')).toBeNull();
    expect(parseQuantity('2.5')).toBeNull();
    expect(parseQuantity('-1')).toBeNull();
    expect(parseQuantity('')).toBeNull();
    for (const v of ['1e1', '0x2', '+3', '3.0']) expect(parseQuantity(v)).toBeNull();
  });
});
