/** The SLO layer as a library, for the workspaces that build on it. */
import { dirname } from 'node:path';

export * from './gate/decide';
/** The workspace's root (specs, generated rules, Alertmanager config), wherever it is installed. */
export const SLO_ROOT = dirname(__dirname);
export { loadSpecs, type SloModel } from './spec/load';
export {
  scrapedSelectors,
  sliGroupKind,
  withLongWindowsInline,
  type RuleFileDoc,
} from './rules/layout';
export { durationSeconds, isDuration } from './duration';
