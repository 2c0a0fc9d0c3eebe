import { join } from 'node:path';
import { stringify } from 'yaml';
import { JOURNEYS, PAGES, type Call, type JourneyName, type Page } from '../model/journeys';
import { scalePhases, type Scenario } from '../model/scenarios';
import { journeysPerSecond } from '../model/visitor-model';

/** Where the committed Artillery processor and the stats plugin live. */
export const ARTILLERY_DIR = join(__dirname, '..', '..', 'artillery');

/** The journeys Artillery carries (anonymous browsing goes to Vegeta: it is the high rate). */
export const ARTILLERY_JOURNEYS: JourneyName[] = ['shopper', 'flash-sale'];

export interface ArtilleryOptions {
  baseUrl: string;
  visitors: number;
  seconds: number;
  /** The JSON-lines file the stats plugin writes each period to. */
  statsFile: string;
  /** Requests a VU may hold open at most, across all VUs of the process (the fd cap). */
  maxVusers?: number;
}

type Step = Record<string, unknown>;

function request(call: Call, loggedIn: boolean): Step {
  const method = call.method.toLowerCase();
  const url = call.path.replace(/\{(\w+)\}/g, (_m, v: string) => `{{ ${v} }}`);
  const step: Record<string, unknown> = { url, name: call.sli };
  // A logged-in buyer from the run's pool: its session cookie, not Artillery's own jar.
  if (loggedIn) step.headers = { cookie: '{{ sessionCookie }}' };
  if (call.body === 'cartItem') step.json = { quantity: 1 };
  if (call.body === 'register') {
    step.json = { email: '{{ email }}', password: '{{ password }}', name: '{{ name }}' };
    // The session the checkout uses: the api rotates it on registration.
    step.capture = { header: 'set-cookie', as: 'sessionCookie' };
  }
  return { [method]: step };
}

function pageSteps(page: Page, loggedIn: boolean): Step[] {
  if (page === PAGES.checkout) return [{ function: 'checkout' }];
  return page.calls.map((c) => request(c, loggedIn));
}

/** The flow of one journey: its pages, a fresh draw of parameters and a think time between. */
export function journeyFlow(name: JourneyName): Step[] {
  const { pages, loggedIn = false } = JOURNEYS[name];
  return pages.flatMap((p, i) => [
    ...pageSteps(p, loggedIn),
    ...(i < pages.length - 1 ? [{ function: 'choosePage' }, { function: 'think' }] : []),
  ]);
}

/** Arrival phases for the Artillery journeys of a scenario at `visitors` over `seconds`. */
export function artilleryPhases(s: Scenario, visitors: number, seconds: number) {
  const journeys = ARTILLERY_JOURNEYS.filter((j) => (s.mix[j] ?? 0) > 0);
  const rate = (share: number) =>
    journeys.reduce(
      (a, j) =>
        a + journeysPerSecond(visitors * share * s.mix[j]!, JOURNEYS[j].pages.length, s.thinkScale),
      0,
    );
  return scalePhases(s, seconds).map((p, i) => {
    const r0 = rate(p.from);
    const r1 = rate(p.to);
    const name = `phase ${i + 1}`;
    if (Math.min(r0, r1) >= 1)
      return r0 === r1
        ? { name, duration: p.seconds, arrivalRate: Math.round(r0) }
        : { name, duration: p.seconds, arrivalRate: Math.round(r0), rampTo: Math.round(r1) };
    return {
      name,
      duration: p.seconds,
      arrivalCount: Math.max(0, Math.round(((r0 + r1) / 2) * p.seconds)),
    };
  });
}

/** The Artillery script for a scenario, or null when it has no Artillery journey. */
export function renderArtillery(s: Scenario, o: ArtilleryOptions): Record<string, unknown> | null {
  const journeys = ARTILLERY_JOURNEYS.filter((j) => (s.mix[j] ?? 0) > 0);
  if (!journeys.length) return null;
  const phases = artilleryPhases(s, o.visitors, o.seconds).filter(
    (p) => (p.arrivalCount ?? p.arrivalRate ?? 0) > 0,
  );
  if (!phases.length) return null;
  return {
    config: {
      target: o.baseUrl,
      phases: phases.map((p) => ({ ...p, maxVusers: o.maxVusers ?? 4000 })),
      processor: join(ARTILLERY_DIR, 'processor.cjs'),
      http: {
        timeout: 10,
        defaults: { headers: { origin: o.baseUrl, accept: 'application/json' } },
      },
      plugins: {
        'metrics-by-endpoint': { useOnlyRequestNames: true, stripQueryString: true },
        'dhakacart-stats': { file: o.statsFile },
      },
    },
    scenarios: journeys.map((j) => ({
      name: j,
      weight: Math.max(1, Math.round((s.mix[j] ?? 0) * 100)),
      beforeScenario: JOURNEYS[j].loggedIn ? 'useBuyer' : 'newVisitor',
      flow: journeyFlow(j),
    })),
  };
}

export const toYaml = (script: Record<string, unknown>) => stringify(script, { lineWidth: 0 });
