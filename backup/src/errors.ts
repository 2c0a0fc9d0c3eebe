/**
 * Every way a backup command can fail, with its own exit code: scripts and the nightly job tell
 * a wrong key from a missing repository without parsing messages. The message is one line.
 */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  badTime: 3,
  timeInFuture: 4,
  beforeOldestBackup: 5,
  repoMissing: 6,
  repoCorrupt: 7,
  wrongKey: 8,
  labDown: 9,
  verifyFailed: 10,
  liveTargetRefused: 11,
  restoreFailed: 12,
  confirmationRequired: 13,
  backupFailed: 14,
} as const;

export type ErrorKind = Exclude<keyof typeof EXIT, 'ok'>;

export class BackupError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message.replace(/\s*\n\s*/g, ' ').trim());
    this.name = 'BackupError';
  }
  get exitCode(): number {
    return EXIT[this.kind];
  }
}

/**
 * Reads a pgBackRest error (its last `ERROR: [code]: message` line) as one of our kinds.
 * pgBackRest's codes: 055/075 missing file or path; 028/029/038/100 format, checksum, crypto or
 * unreadable info file (corrupt). A wrong key is recognised by restore-isolated.sh itself.
 */
export function classifyPgbackrestError(text: string, fallback: ErrorKind): BackupError {
  // restore-isolated.sh's own checks, made before pgBackRest reads anything else.
  const own = /restore-isolated: ([^\n]*)/.exec(text)?.[1]?.trim();
  if (own && /key does not decrypt/.test(own))
    return new BackupError('wrongKey', `the encryption key does not open the repository (${own})`);
  if (own && /holds no stanza|not mounted/.test(own))
    return new BackupError('repoMissing', `the repository is missing or empty (${own})`);
  const m = [...text.matchAll(/ERROR: \[(\d{3})\]: ([^\n]*)/g)].pop();
  const code = m?.[1] ?? '';
  const msg = (m?.[2] ?? text.trim().split('\n').pop() ?? 'no output').trim();
  if (code === '055' || code === '075' || /missing|does not exist|no such file/i.test(msg))
    return new BackupError('repoMissing', `the repository is missing or empty (${msg})`);
  // The key is checked first (restore-isolated.sh decrypts archive.info), so a file that fails
  // to decrypt or parse after that is damaged, not encrypted with another key.
  if (
    ['028', '029', '038', '100', '061'].includes(code) ||
    /checksum|invalid|format|corrupt|crypto|decrypt/i.test(msg)
  )
    return new BackupError('repoCorrupt', `the repository is corrupt (${msg})`);
  return new BackupError(fallback, msg);
}
