export * from './gate';
export * from './release';
