export { startSink, subjectOf, type Received, type RunningSink, type SinkOptions } from './sink';
export { loadConfig, type SinkConfig } from './config';
