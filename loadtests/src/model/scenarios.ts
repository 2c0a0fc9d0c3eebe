import type { JourneyName } from './journeys';

/**
 * The load scenarios, written once. Visitors are concurrent visitors; a phase ramps from one
 * share of the run's visitors to another. Renderers turn them into arrival rates (Little's law,
 * visitor-model.ts) for Artillery and Vegeta in the lab and k6 in the cluster.
 */
export interface Phase {
  seconds: number;
  /** Shares of the run's visitors at the phase's start and end (0..1). */
  from: number;
  to: number;
}

export interface Scenario {
  name: string;
  description: string;
  /** The visitors of each journey, as shares that sum to 1. */
  mix: Partial<Record<JourneyName, number>>;
  defaultVisitors: number;
  /** The phases at the default length; `--duration` stretches or shrinks them evenly. */
  phases: Phase[];
  /** Longest run this scenario accepts, in seconds: every run stops by itself. */
  maxSeconds: number;
  /** Scales think times (shorter in short runs, so a journey fits in the run). */
  thinkScale: number;
  /** Set-up the runner does first: flash-sale SKUs with little stock. */
  flashSale?: { skus: number; stockEach: number };
}

const steady = (seconds: number): Phase[] => [{ seconds, from: 1, to: 1 }];

export const SCENARIOS: Record<string, Scenario> = {
  smoke: {
    name: 'smoke',
    description: 'a minute of browsing and shopping at a few visitors: does everything answer?',
    mix: { browse: 0.8, shopper: 0.2 },
    defaultVisitors: 40,
    phases: steady(45),
    maxSeconds: 300,
    thinkScale: 0.1,
  },
  browse: {
    name: 'browse',
    description: 'anonymous visitors reading listings, searches and product pages',
    mix: { browse: 1 },
    defaultVisitors: 1000,
    phases: [{ seconds: 30, from: 0.1, to: 1 }, ...steady(120)],
    maxSeconds: 3600,
    thinkScale: 1,
  },
  shopper: {
    name: 'shopper',
    description: 'the everyday mix: 97% browsing, 3% buying (the conversion rate of retail sites)',
    mix: { browse: 0.97, shopper: 0.03 },
    defaultVisitors: 1000,
    phases: [{ seconds: 30, from: 0.1, to: 1 }, ...steady(180)],
    maxSeconds: 3600,
    thinkScale: 1,
  },
  'flash-sale': {
    name: 'flash-sale',
    description: 'many buyers for a few SKUs with little stock, all at once; invariants after',
    mix: { 'flash-sale': 1 },
    defaultVisitors: 60,
    phases: steady(20),
    maxSeconds: 600,
    thinkScale: 0.05,
    flashSale: { skus: 3, stockEach: 10 },
  },
  spike: {
    name: 'spike',
    description: 'from a fifth of the peak to the peak in 60 s, held, then back',
    mix: { browse: 0.97, shopper: 0.03 },
    defaultVisitors: 2000,
    phases: [
      { seconds: 60, from: 0.2, to: 0.2 },
      { seconds: 60, from: 0.2, to: 1 },
      { seconds: 120, from: 1, to: 1 },
      { seconds: 60, from: 1, to: 0.2 },
    ],
    maxSeconds: 3600,
    thinkScale: 1,
  },
  soak: {
    name: 'soak',
    description: 'long and steady: leaks, slow drifts and retention show up here',
    mix: { browse: 0.97, shopper: 0.03 },
    defaultVisitors: 500,
    phases: [{ seconds: 60, from: 0.1, to: 1 }, ...steady(1800)],
    maxSeconds: 6 * 3600,
    thinkScale: 1,
  },
  gameday: {
    name: 'gameday',
    description:
      "the game day's steady background: browsing and a steady stream of checkouts while faults are injected",
    mix: { browse: 0.85, shopper: 0.15 },
    defaultVisitors: 150,
    phases: steady(3600),
    maxSeconds: 2 * 3600,
    // Short journeys: about one order a second, so every fault meets writes in flight.
    thinkScale: 0.2,
  },
  'peak-100k': {
    name: 'peak-100k',
    description: 'the design promise: 100,000 concurrent visitors (the cluster, k6-operator)',
    mix: { browse: 0.97, shopper: 0.03 },
    defaultVisitors: 100_000,
    phases: [{ seconds: 600, from: 0.05, to: 1 }, ...steady(900), { seconds: 120, from: 1, to: 0 }],
    maxSeconds: 2 * 3600,
    thinkScale: 1,
  },
};

export function scenarioSeconds(s: Scenario): number {
  return s.phases.reduce((a, p) => a + p.seconds, 0);
}

/** The phases stretched or shrunk evenly to `seconds` in all. */
export function scalePhases(s: Scenario, seconds: number): Phase[] {
  const k = seconds / scenarioSeconds(s);
  return s.phases.map((p) => ({ ...p, seconds: Math.max(1, Math.round(p.seconds * k)) }));
}
