import { pageParam } from './CategoryPage';

describe('the page number in the address', () => {
  it('reads digits from 1 to 10000', () => {
    expect(pageParam('1')).toBe(1);
    expect(pageParam('7')).toBe(7);
    expect(pageParam('10000')).toBe(10000);
  });

  // The api refuses these (400); Number() read "2e0", "0x2", " 2" and "2.0" as page 2.
  it.each([null, '', '0', '10001', '-1', '2e0', '0x2', ' 2', '2.0', 'two'])(
    'falls back to the first page for %j',
    (v) => {
      expect(pageParam(v)).toBe(1);
    },
  );
});
