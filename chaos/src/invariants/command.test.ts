import { invariantsCommand } from './command';

test('--stranded-after is seconds written in digits; " 30" or "3e1" is refused with exit 2', async () => {
  const err: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err.push(String(s));
    return true;
  });
  try {
    // Number(text) read each of these as 30.
    for (const value of ['3e1', ' 30', '0x1e', '30.'])
      expect({ value, code: await invariantsCommand(['--stranded-after', value]) }).toEqual({
        value,
        code: 2,
      });
  } finally {
    spy.mockRestore();
  }
  expect(err).toEqual(
    Array(4).fill('chaos invariants: --stranded-after must be 0..86400 seconds\n'),
  );
});
