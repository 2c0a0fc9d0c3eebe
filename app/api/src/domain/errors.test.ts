import { MAX_ERROR_MESSAGE, boundedMessage, listMessage } from './errors';

describe('error messages stay within the contract (error.message ≤ 500 characters)', () => {
  test('a long list names the first three, then how many more', () => {
    const names = Array.from({ length: 40 }, (_, i) => `Pran Red Lentils (Masoor Dal) (${i} kg)`);
    const m = listMessage('not enough stock for: ', names);
    expect(m).toBe(
      'not enough stock for: Pran Red Lentils (Masoor Dal) (0 kg), Pran Red Lentils (Masoor Dal) (1 kg), Pran Red Lentils (Masoor Dal) (2 kg) and 37 more',
    );
    expect(m.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE);
  });

  test('a short list is named whole; very long names are cut', () => {
    expect(listMessage('missing: ', ['a', 'b'])).toBe('missing: a, b');
    const long = 'x'.repeat(300);
    const m = listMessage('missing: ', [long, long, long, long]);
    expect(m.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE);
    expect(m).toMatch(/… and 1 more$/);
  });

  test('any message is clamped at the bound, and a short one is left alone', () => {
    expect(boundedMessage('ok')).toBe('ok');
    const m = boundedMessage('y'.repeat(2000));
    expect(m).toHaveLength(MAX_ERROR_MESSAGE);
    expect(m.endsWith('…')).toBe(true);
  });
});
