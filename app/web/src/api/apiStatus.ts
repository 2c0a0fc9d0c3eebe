// Whether the API is reachable, as seen by this tab. Requests report their outcome; while the
// API is down a probe polls it with backoff so the page recovers on its own when it returns.

export type ApiHealth = 'up' | 'down';
type Listener = () => void;

export interface ApiStatusStore {
  get(): ApiHealth;
  subscribe(l: Listener): () => void;
  reportUp(): void;
  reportDown(): void;
  stop(): void;
}

export interface ProbeOptions {
  probe: () => Promise<boolean>;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export function createApiStatus({
  probe,
  minDelayMs = 1000,
  maxDelayMs = 10000,
}: ProbeOptions): ApiStatusStore {
  let health: ApiHealth = 'up';
  const listeners = new Set<Listener>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = minDelayMs;

  const set = (h: ApiHealth) => {
    if (h === health) return;
    health = h;
    listeners.forEach((l) => l());
  };

  const schedule = () => {
    if (timer !== undefined) return;
    timer = setTimeout(async () => {
      timer = undefined;
      if (health === 'up') return;
      let ok = false;
      try {
        ok = await probe();
      } catch {
        ok = false;
      }
      if (ok) {
        delay = minDelayMs;
        set('up');
      } else {
        delay = Math.min(delay * 2, maxDelayMs);
        schedule();
      }
    }, delay);
  };

  return {
    get: () => health,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    reportUp() {
      delay = minDelayMs;
      set('up');
    },
    reportDown() {
      set('down');
      schedule();
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
