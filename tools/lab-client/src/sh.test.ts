import { run } from './sh';

test('a child that exits without reading its input gives its exit code, not an EPIPE crash', async () => {
  const r = await run('sh', ['-c', 'exit 3'], { input: 'x'.repeat(8 * 1024 * 1024) });
  expect(r.code).toBe(3);
});

test('input reaches a child that reads it', async () => {
  expect(await run('cat', [], { input: 'rows' })).toMatchObject({ code: 0, stdout: 'rows' });
});

test('a command still running at its time-out is killed and answers 124', async () => {
  const t0 = Date.now();
  const r = await run('sleep', ['5'], { timeoutMs: 300 });
  expect(r.code).toBe(124);
  expect(Date.now() - t0).toBeLessThan(4000);
  expect((await run('sh', ['-c', 'exit 0'], { timeoutMs: 5000 })).code).toBe(0);
});
