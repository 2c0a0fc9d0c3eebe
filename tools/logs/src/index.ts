export { VictoriaLogsClient, LogStoreDownError, LogStoreQueryError, type Row } from './client';
export {
  logTile,
  LOG_TILE_THRESHOLDS,
  findErrors,
  findCustomer,
  findRequest,
  trendOf,
  type LogTile,
  type LogLine,
  type Trend,
} from './investigate';
export { pgCustomerDirectory, type CustomerDirectory } from './directory';
export { SAVED_QUERIES } from './queries';
export { F as LOG_FIELDS } from './fields';
