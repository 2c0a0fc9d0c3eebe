import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * For tests: a throwaway self-signed P-256 certificate for `localhost`, valid one day, written as
 * `key` and `crt` (the certificate is its own CA). The real openssl, as the lab's CA is made.
 */
export function selfSignedCert(
  key: string,
  crt: string,
  subjectAltName: string | null = 'DNS:localhost,IP:127.0.0.1',
): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      ...(subjectAltName ? ['-addext', `subjectAltName=${subjectAltName}`] : []),
      '-keyout',
      key,
      '-out',
      crt,
    ],
    { stdio: 'ignore' },
  );
}

/**
 * For tests of the lab's edge: a throwaway certificate as HAProxy's `crt` wants it, the
 * certificate then its key in one file, written to `dir` as `edge_tls.pem` (0644, so the
 * container's haproxy user can read the bind-mounted copy), beside `key.pem` and `crt.pem`.
 */
export function selfSignedEdgePem(
  dir: string,
  subjectAltName?: string | null,
): { key: string; crt: string; pem: string } {
  const key = join(dir, 'key.pem');
  const crt = join(dir, 'crt.pem');
  const pem = join(dir, 'edge_tls.pem');
  selfSignedCert(key, crt, subjectAltName);
  writeFileSync(pem, Buffer.concat([readFileSync(crt), readFileSync(key)]));
  chmodSync(pem, 0o644);
  return { key, crt, pem };
}
