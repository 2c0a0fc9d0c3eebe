import { sparkPoints } from './sparkline';

describe('sparkline geometry', () => {
  it('spans the width in time and the height from zero to the maximum', () => {
    expect(
      sparkPoints(
        [
          [1000, 0],
          [1060, 5],
          [1120, 10],
        ],
        120,
        22,
      ),
    ).toBe('0,21 60,11 120,1');
  });

  it('draws a zero series along the bottom, a steady one at the top, a single point as a line', () => {
    expect(
      sparkPoints(
        [
          [0, 0],
          [60, 0],
        ],
        100,
        20,
      ),
    ).toBe('0,19 100,19');
    expect(
      sparkPoints(
        [
          [0, 3],
          [60, 3],
        ],
        100,
        20,
      ),
    ).toBe('0,1 100,1');
    expect(sparkPoints([[0, 0.4]], 100, 20)).toBe('0,1 100,1');
  });

  it('skips non-finite values and draws nothing without data', () => {
    expect(sparkPoints([], 100, 20)).toBe('');
    expect(sparkPoints([[0, Number.NaN]], 100, 20)).toBe('');
    expect(
      sparkPoints(
        [
          [0, 1],
          [30, Number.NaN],
          [60, 2],
        ],
        100,
        20,
      ),
    ).toBe('0,10 100,1');
  });
});
