import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every OWASP ASVS 4.0.3 requirement at Level 2 (the `level2` column of the standard's English
 * CSV, "OWASP Application Security Verification Standard 4.0.3-en.csv"), in the standard's order.
 */
export const ASVS_L2_IDS: string[] = `
  1.1.1 1.1.2 1.1.3 1.1.4 1.1.5 1.1.6 1.1.7 1.2.1 1.2.2 1.2.3 1.2.4 1.4.1 1.4.4 1.4.5 1.5.1 1.5.2
  1.5.3 1.5.4 1.6.1 1.6.2 1.6.3 1.6.4 1.7.1 1.7.2 1.8.1 1.8.2 1.9.1 1.9.2 1.10.1 1.11.1 1.11.2
  1.12.2 1.14.1 1.14.2 1.14.3 1.14.4 1.14.5 1.14.6 2.1.1 2.1.2 2.1.3 2.1.4 2.1.5 2.1.6 2.1.7 2.1.8
  2.1.9 2.1.10 2.1.11 2.1.12 2.2.1 2.2.2 2.2.3 2.3.1 2.3.2 2.3.3 2.4.1 2.4.2 2.4.3 2.4.4 2.4.5
  2.5.1 2.5.2 2.5.3 2.5.4 2.5.5 2.5.6 2.5.7 2.6.1 2.6.2 2.6.3 2.7.1 2.7.2 2.7.3 2.7.4 2.7.5 2.7.6
  2.8.1 2.8.2 2.8.3 2.8.4 2.8.5 2.8.6 2.8.7 2.9.1 2.9.2 2.9.3 2.10.1 2.10.2 2.10.3 2.10.4 3.1.1
  3.2.1 3.2.2 3.2.3 3.2.4 3.3.1 3.3.2 3.3.3 3.3.4 3.4.1 3.4.2 3.4.3 3.4.4 3.4.5 3.5.1 3.5.2 3.5.3
  3.7.1 4.1.1 4.1.2 4.1.3 4.1.5 4.2.1 4.2.2 4.3.1 4.3.2 4.3.3 5.1.1 5.1.2 5.1.3 5.1.4 5.1.5 5.2.1
  5.2.2 5.2.3 5.2.4 5.2.5 5.2.6 5.2.7 5.2.8 5.3.1 5.3.2 5.3.3 5.3.4 5.3.5 5.3.6 5.3.7 5.3.8 5.3.9
  5.3.10 5.4.1 5.4.2 5.4.3 5.5.1 5.5.2 5.5.3 5.5.4 6.1.1 6.1.2 6.1.3 6.2.1 6.2.2 6.2.3 6.2.4 6.2.5
  6.2.6 6.3.1 6.3.2 6.4.1 6.4.2 7.1.1 7.1.2 7.1.3 7.1.4 7.2.1 7.2.2 7.3.1 7.3.3 7.3.4 7.4.1 7.4.2
  7.4.3 8.1.1 8.1.2 8.1.3 8.1.4 8.2.1 8.2.2 8.2.3 8.3.1 8.3.2 8.3.3 8.3.4 8.3.5 8.3.6 8.3.7 8.3.8
  9.1.1 9.1.2 9.1.3 9.2.1 9.2.2 9.2.3 9.2.4 10.2.1 10.2.2 10.3.1 10.3.2 10.3.3 11.1.1 11.1.2
  11.1.3 11.1.4 11.1.5 11.1.6 11.1.7 11.1.8 12.1.1 12.1.2 12.1.3 12.2.1 12.3.1 12.3.2 12.3.3
  12.3.4 12.3.5 12.3.6 12.4.1 12.4.2 12.5.1 12.5.2 12.6.1 13.1.1 13.1.3 13.1.4 13.1.5 13.2.1
  13.2.2 13.2.3 13.2.5 13.2.6 13.3.1 13.3.2 13.4.1 13.4.2 14.1.1 14.1.2 14.1.3 14.1.4 14.2.1
  14.2.2 14.2.3 14.2.4 14.2.5 14.2.6 14.3.2 14.3.3 14.4.1 14.4.2 14.4.3 14.4.4 14.4.5 14.4.6
  14.4.7 14.5.1 14.5.2 14.5.3 14.5.4
`
  .trim()
  .split(/\s+/);

export const STATUSES = ['Met', 'Partly', 'Gap', 'N/A'] as const;

export interface Row {
  id: string;
  status: string;
  evidence: string;
}

/** The rows of the ASVS tables: `| id | requirement | status | evidence |`. */
export function asvsRows(doc: string): Row[] {
  const rows: Row[] = [];
  for (const line of doc.split('\n')) {
    const m = /^\|\s*(\d+\.\d+\.\d+)\s*\|[^|]*\|\s*([^|]*?)\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (m) rows.push({ id: m[1]!, status: m[2]!, evidence: m[3]! });
  }
  return rows;
}

/** Tests named as `file` › "name", anywhere in the document. */
export function testRefs(text: string): { file: string; name: string }[] {
  return [...text.matchAll(/`([^`\s]+\.test\.tsx?)`\s*›\s*"([^"]+)"/g)].map((m) => ({
    file: m[1]!,
    name: m[2]!,
  }));
}

/** Repository paths named in backticks (a test file, a config, a doc). */
export function pathRefs(text: string): string[] {
  return [
    ...text.matchAll(
      /`((?:app|infra|tools|scripts|docs|images|slo|chaos|backup|loadtests|\.github)\/[^`\s]*)`/g,
    ),
  ].map((m) => m[1]!);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `file` declares a test (test/it) with exactly this name. */
export function declaresTest(source: string, name: string): boolean {
  const quoted = ["'", '"', '`'].map((q) => `${q}${escapeRe(name)}${q}`).join('|');
  return new RegExp(`\\b(?:test|it)(?:\\.only)?\\(\\s*(?:${quoted})`).test(source);
}

/** Everything wrong with the document, as sentences; empty when it holds. */
export function securityDocProblems(doc: string, root: string): string[] {
  const problems: string[] = [];
  const rows = asvsRows(doc);
  const seen = rows.map((r) => r.id);
  const missing = ASVS_L2_IDS.filter((id) => !seen.includes(id));
  const extra = seen.filter((id) => !ASVS_L2_IDS.includes(id));
  if (missing.length)
    problems.push(`Level 2 requirements missing from the map: ${missing.join(', ')}`);
  if (extra.length) problems.push(`not Level 2 requirements: ${extra.join(', ')}`);
  const dupes = seen.filter((id, i) => seen.indexOf(id) !== i);
  if (dupes.length) problems.push(`listed twice: ${dupes.join(', ')}`);
  for (const r of rows) {
    if (!(STATUSES as readonly string[]).includes(r.status)) {
      problems.push(`${r.id}: status "${r.status}" is not one of ${STATUSES.join(', ')}`);
    }
    const named = testRefs(r.evidence).length + pathRefs(r.evidence).length;
    if ((r.status === 'Met' || r.status === 'Partly') && !named) {
      problems.push(`${r.id}: ${r.status} but names no test and no file`);
    }
    if (r.evidence.length < 15) problems.push(`${r.id}: no evidence or reason`);
  }
  const sources = new Map<string, string | null>();
  for (const { file, name } of testRefs(doc)) {
    if (!sources.has(file)) {
      const p = join(root, file);
      sources.set(file, existsSync(p) ? readFileSync(p, 'utf8') : null);
    }
    const src = sources.get(file);
    if (src === null) problems.push(`test file ${file} does not exist`);
    else if (!declaresTest(src!, name)) problems.push(`${file} has no test named "${name}"`);
  }
  for (const p of new Set(pathRefs(doc))) {
    if (!existsSync(join(root, p))) problems.push(`${p} does not exist`);
  }
  return problems;
}
