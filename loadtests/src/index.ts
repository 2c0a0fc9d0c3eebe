export * from './shoppers';
export * from './journey-touch';
export * from './bounded-load';
export * from './history';
export * from './shopper-loop';
export * from './model/scenarios';
export * from './model/visitor-model';
export * from './model/journeys';
export { committedThresholds, currentThresholds } from './render/generate';
export {
  runScenario,
  HISTORY_DIR,
  RESULTS_DIR,
  type RunResult,
  type RunOptions,
} from './run/runner';
export type { RunSummary, TimelinePoint } from './run/aggregate';
export { lineChart, htmlPage, escapeXml, type Series, type Marker } from './report/svg-chart';
export { parseProcStat, cpuTimes, type CpuTimes } from './bench/cpu';
