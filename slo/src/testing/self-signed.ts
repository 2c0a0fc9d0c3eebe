import { execFileSync } from 'node:child_process';

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
