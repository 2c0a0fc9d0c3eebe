import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { must } from '@dhakacart/lab-client';
import { CA_CERT, CA_DIR } from './paths';

/**
 * The lab's own CA, made at first start: browsers and tests trust `.lab/ca/ca.crt`, and the edge
 * serves a localhost certificate it signed. Keys stay in `.lab/ca` (0600) and a Swarm secret.
 */
export async function ensureLabTls(): Promise<{ pem: string; fingerprint: string }> {
  mkdirSync(CA_DIR, { recursive: true, mode: 0o700 });
  const caKey = join(CA_DIR, 'ca.key');
  const key = join(CA_DIR, 'server.key');
  const crt = join(CA_DIR, 'server.crt');
  if (!existsSync(CA_CERT) || !existsSync(caKey)) {
    await must('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      caKey,
      '-out',
      CA_CERT,
      '-days',
      '825',
      '-subj',
      '/O=DhakaCart Lab/CN=DhakaCart Lab CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
  }
  if (!existsSync(crt) || !existsSync(key)) {
    const csr = join(CA_DIR, 'server.csr');
    const ext = join(CA_DIR, 'server.ext');
    writeFileSync(
      ext,
      'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=CA:FALSE\n',
    );
    await must('openssl', [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      '/O=DhakaCart Lab/CN=localhost',
    ]);
    // 90 days, like a real ACME certificate: the expiry alert has something to watch.
    await must('openssl', [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      CA_CERT,
      '-CAkey',
      caKey,
      '-CAcreateserial',
      '-out',
      crt,
      '-days',
      '90',
      '-extfile',
      ext,
    ]);
  }
  for (const f of [caKey, key]) chmodSync(f, 0o600);
  const pem = readFileSync(crt, 'utf8') + readFileSync(key, 'utf8');
  return { pem, fingerprint: createHash('sha256').update(pem).digest('hex').slice(0, 12) };
}
