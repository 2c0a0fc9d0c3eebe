export * from './invariants/checker';
export * from './invariants/source';
export * from './scenarios';
export * from './invariants/lab';
