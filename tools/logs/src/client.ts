// The VictoriaLogs client lives in the api, whose image runs the ops board's log tile; the CLI
// and the benchmark use the same one.
export * from '@dhakacart/api/src/log-store/client';
