import { RELOAD_KEY, reloadForStaleChunk } from './staleChunks';

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  };
}

describe('stale chunk reload', () => {
  it('reloads once, then not again within a minute, then again later', () => {
    const storage = memoryStorage();
    const reload = jest.fn();
    let t = 1_000_000;
    const deps = { now: () => t, storage, reload };
    expect(reloadForStaleChunk(deps)).toBe(true);
    expect(storage.getItem(RELOAD_KEY)).toBe('1000000');
    t += 5000;
    expect(reloadForStaleChunk(deps)).toBe(false);
    t += 60000;
    expect(reloadForStaleChunk(deps)).toBe(true);
    expect(reload).toHaveBeenCalledTimes(2);
  });

  it('does not reload when storage is unavailable (it could loop)', () => {
    const reload = jest.fn();
    const storage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => undefined,
    };
    expect(reloadForStaleChunk({ now: () => 1, storage, reload })).toBe(false);
    expect(reload).not.toHaveBeenCalled();
  });
});
