export { runFuzz, type FuzzOptions, type FuzzReport } from './fuzz/run-fuzz';
