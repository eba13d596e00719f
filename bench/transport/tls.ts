/**
 * A throw-away TLS identity for the HTTPS modes: a self-signed P-256 certificate for 127.0.0.1,
 * made with `openssl` at bench time (Node 20's crypto cannot issue X.509 certificates), valid one
 * day, in a temp folder. The client trusts it the way a user trusts a private CA: through
 * `NODE_EXTRA_CA_CERTS`, which Node reads at start-up, so the bench runs itself again with it set.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Paths of the key and certificate (PEM). */
export interface TlsFiles {
  key: string;
  cert: string;
}

/** Makes the key and certificate; throws with a clear message when `openssl` is missing. */
export function makeSelfSignedCert(): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), 'ktrdr-bench-tls-'));
  const files = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') };
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        files.key,
        '-out',
        files.cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
  } catch (error) {
    throw new Error(
      `Could not make a self-signed certificate with openssl (${(error as Error).message}): install openssl, ` +
        'or run with --no-tls to skip the HTTPS modes.',
    );
  }
  return files;
}
