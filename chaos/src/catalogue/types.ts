import type { AppliedFault } from '@dhakacart/lab-client';

/**
 * One chaos experiment, defined once: what it claims, how it is measured, how it breaks the
 * system, how far it may reach, when to give up, and how fast the system must recover. It
 * renders to the lab's injector (`lab`) and to Chaos Mesh objects for GKE (`gke`).
 */
export type Profile = 'quick' | 'default' | 'nightly';

export interface Experiment {
  name: string;
  title: string;
  /** What we believe holds while the fault is on, in words a person on call can check. */
  hypothesis: string;
  /** The steady state before and after: every SLO's 30 s error ratio within its objective. */
  steadyState: string;
  method: string;
  blastRadius: string;
  /** Give up (revert everything, stop the game day) when the SLIs stay out this long. */
  abortAfterSeconds: number;
  /** From the injection until the SLIs are back within their objective (and stay 60 s). */
  recoveryBudgetSeconds: number;
  /** Alerts this fault may raise; any other one that fires is reported as unexpected. */
  expectedAlerts: string[];
  /** SLOs this experiment is allowed to breach while the fault is on (e.g. a slow provider). */
  tolerated?: string[];
  profiles: Profile[];
  lab: LabMethod;
  /** Chaos Mesh objects for GKE (namespace and selectors from the settings). */
  gke: (s: GkeChaosSettings) => ChaosObject[];
}

export interface LabMethod {
  /** Reads what the checks will compare against (who leads now, which container dies). */
  before?: () => Promise<Record<string, unknown>>;
  /** Breaks something; returns the faults to revert (a kill returns none). */
  inject: (before: Record<string, unknown>) => Promise<{ faults: AppliedFault[]; notes: string[] }>;
  /** Seconds the fault stays on before it is reverted (0: nothing to revert, or at once). */
  holdSeconds?: number;
  /**
   * After recovery: what must be true; each string returned is a failed claim. `note` records a
   * measured figure in the report (how long writes took to resume, say).
   */
  verify?: (before: Record<string, unknown>, note: (line: string) => void) => Promise<string[]>;
}

export interface GkeChaosSettings {
  /** The app's namespace (the targets). */
  namespace: string;
  /** Where the Chaos Mesh objects live. */
  chaosNamespace: string;
  /** The three zones of the region. */
  zones: string[];
  /** Labels that select each tier's pods. */
  selectors: Record<'api' | 'web', Record<string, string>>;
  project: string;
  region: string;
  /** Cloud SQL's private address (NetworkChaos targets it from the api pods). */
  databaseAddress: string;
  cloudSqlInstance: string;
  memorystoreInstance: string;
  /** The gcloud image the Workflow tasks run, pinned by digest. */
  gcloudImage: string;
}

export interface ChaosObject {
  apiVersion: 'chaos-mesh.org/v1alpha1';
  kind: string;
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}
