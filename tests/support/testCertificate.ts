// A throw-away TLS certificate for localhost and 127.0.0.1, made by `openssl` (not a test file itself). Where openssl
// is missing the TLS tests are skipped, and say so with NO_OPENSSL.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { hasCommand } from './hasCommand.js';

export interface TestCertificate {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

export const OPENSSL = hasCommand('openssl', 'version');

/** The skip reason for node:test where openssl is missing (false where it is there). */
export const NO_OPENSSL: string | false = OPENSSL
  ? false
  : 'openssl is not installed: cannot make a test certificate (apt-get install openssl)';

/** A self-signed EC certificate valid for a day, written as cert.pem and key.pem into dir. */
export function makeTestCertificate(dir: string): TestCertificate {
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
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
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}
