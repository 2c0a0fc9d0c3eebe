// During a rolling deploy a browser holding the old index.html can ask for a page chunk that only
// the old pods had (or the new index.html can reach an old pod). Vite then fires
// `vite:preloadError`; reloading fetches the current index.html and its chunks. At most one
// reload per minute, so a chunk that is really gone ends at the error boundary, not in a loop.

export const RELOAD_KEY = 'dhakacart:chunk-reload-at';
const MIN_INTERVAL_MS = 60000;

export interface ReloadDeps {
  now: () => number;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  reload: () => void;
}

/** Returns true when it reloaded (and the error should not surface), false otherwise. */
export function reloadForStaleChunk(d: ReloadDeps): boolean {
  let last = 0;
  try {
    last = Number(d.storage.getItem(RELOAD_KEY) ?? 0);
  } catch {
    return false; // no storage (privacy mode): let the error boundary offer the reload
  }
  if (d.now() - last < MIN_INTERVAL_MS) return false;
  try {
    d.storage.setItem(RELOAD_KEY, String(d.now()));
  } catch {
    return false;
  }
  d.reload();
  return true;
}
