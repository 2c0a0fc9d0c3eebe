// What other workspaces use: the lab (infra/lab) issues the backup service's TLS secrets, and
// can run the drill against its own stack.
export { BACKUP_TLS_SECRETS, ensureBackupTls, type BackupTlsFiles } from './tls';
export { discover, type BackupEnv } from './environment';
export { drill, type DrillResult } from './drill';
export { BackupError, EXIT } from './errors';
export { status, backupNow, type Status } from './service';
