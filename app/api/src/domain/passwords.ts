import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import argon2 from 'argon2';

// OWASP's argon2id baseline (19 MiB, t=2, p=1): strong, and cheap enough for 2-core replicas.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, OPTIONS);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** A hash to verify against for unknown emails, so both cases cost the same time. */
export const dummyHash = () => (dummy ??= hashPassword('not-a-real-password-for-timing'));

/**
 * The 10,000 most common passwords (SecLists, MIT: see data/README.md), next to src/ here and to
 * dist/ in the image. Read once, on first use.
 */
export const COMMON_PASSWORDS_FILE = join(__dirname, '..', '..', 'data', 'common-passwords.txt');
let common: Set<string> | null = null;
export function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(COMMON_PASSWORDS_FILE, 'utf8')
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean),
  );
  return common;
}

/**
 * A password that is, or merely decorates, one of the most common breached passwords: the list
 * entry itself in any case, or with digits and symbols added at the end ("Basketball2024!").
 * Most list entries are shorter than the 10-character minimum, so the decorated forms are the
 * ones a customer could otherwise choose.
 */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  const lower = password.toLowerCase();
  const base = lower.replace(/[^a-z]+$/, '');
  return list.has(lower) || (base.length >= 4 && list.has(base));
}
