import { run } from './sh';

test('a child that exits without reading its input gives its exit code, not an EPIPE crash', async () => {
  const r = await run('sh', ['-c', 'exit 3'], { input: 'x'.repeat(8 * 1024 * 1024) });
  expect(r.code).toBe(3);
});

test('input reaches a child that reads it', async () => {
  expect(await run('cat', [], { input: 'rows' })).toMatchObject({ code: 0, stdout: 'rows' });
});
