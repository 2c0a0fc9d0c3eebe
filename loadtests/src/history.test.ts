import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderHistory, readHistory } from './history';

describe('a run history', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'history-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('starts empty, even where an earlier run left orders', () => {
    const file = join(dir, 'run.jsonl');
    OrderHistory.start(file).acked({ orderId: 'o1', key: 'k1' });
    OrderHistory.start(file);
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  test('continued, keeps the earlier run orders and adds its own', () => {
    const file = join(dir, 'run.jsonl');
    OrderHistory.start(file).acked({ orderId: 'o1', key: 'k1' });
    OrderHistory.start(file, true).unresolved({ key: 'k2' });
    expect(readHistory(file).map((l) => l.key)).toEqual(['k1', 'k2']);
  });

  test('continued with nothing before it, starts a file', () => {
    const file = join(dir, 'new.jsonl');
    OrderHistory.start(file, true);
    expect(readHistory(file)).toEqual([]);
  });
});
