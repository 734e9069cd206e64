import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';

/**
 * The certificate authorities an HTTPS connection to the department server trusts: Node's bundled Mozilla list plus
 * the operating system's store, where hospitals install their own CA. Node's own default is the bundled list only
 * (and NODE_EXTRA_CA_CERTS), which would reject a server certified by the hospital's CA.
 *
 * Node 22.15 and later read the system store on every platform (`tls.getCACertificates('system')`); older Node (20, and
 * the Node inside older VS Code) gets the Linux distribution's bundle file (`SSL_CERT_FILE` when set, as OpenSSL reads
 * it), and on Windows and macOS relies on NODE_EXTRA_CA_CERTS. Read once and kept.
 */

/** The CA bundle files of the common Linux distributions, as Go's crypto/x509 looks for them. */
const LINUX_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Arch, Gentoo
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL 6
  '/etc/ssl/ca-bundle.pem', // openSUSE
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // CentOS, RHEL 7+
  '/etc/ssl/cert.pem', // Alpine
];

let cached: string[] | undefined;

export function trustedCertificates(): string[] {
  if (cached) return cached;
  const certificates = new Set<string>(tls.rootCertificates);
  for (const certificate of systemStore()) certificates.add(certificate);
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (extra) for (const certificate of readBundle(extra)) certificates.add(certificate);
  cached = [...certificates];
  return cached;
}

function systemStore(): string[] {
  const getCACertificates = (tls as { getCACertificates?: (type: 'system') => string[] }).getCACertificates;
  if (typeof getCACertificates === 'function') {
    try {
      return getCACertificates('system');
    } catch {
      // Fall through to the bundle files.
    }
  }
  if (process.platform !== 'linux') return [];
  // OpenSSL's (and Go's) variable for the system bundle's location, when it is not the distribution's default.
  const configured = process.env.SSL_CERT_FILE ? readBundle(process.env.SSL_CERT_FILE) : [];
  if (configured.length > 0) return configured;
  for (const path of LINUX_BUNDLES) {
    const found = readBundle(path);
    if (found.length > 0) return found;
  }
  return [];
}

/** The PEM certificates of a bundle file; none when it cannot be read. */
export function readBundle(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((pem) => `${pem}\n`) ?? [];
}
