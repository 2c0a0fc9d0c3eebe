import { parseBenchArgs } from './args';

test('--help (and -h) asks for the help, and starts nothing', () => {
  expect(parseBenchArgs(['--help'])).toEqual({ help: true });
  expect(parseBenchArgs(['-h'])).toEqual({ help: true });
});

test('no flags: 1 GiB and 60 s windows', () => {
  expect(parseBenchArgs([])).toEqual({ help: false, gb: 1, windowS: 60 });
  expect(parseBenchArgs(['--gb', '2', '--window', '30'])).toEqual({
    help: false,
    gb: 2,
    windowS: 30,
  });
});

test('an unknown flag, a stray argument or a bad number is refused with its name', () => {
  expect(() => parseBenchArgs(['--hlep'])).toThrow(/hlep/);
  expect(() => parseBenchArgs(['now'])).toThrow(/now/);
  expect(() => parseBenchArgs(['--gb', '0'])).toThrow(/--gb must be a number above 0/);
  expect(() => parseBenchArgs(['--gb', 'lots'])).toThrow(/--gb .*"lots"/);
  expect(() => parseBenchArgs(['--window', '-5'])).toThrow();
  expect(() => parseBenchArgs(['--window', '99999'])).toThrow(/at most 3600/);
  expect(() => parseBenchArgs(['--gb', '1e0'])).toThrow(/--gb .*"1e0"/);
});
