/** The throwaway test CA's server certificate, made by scripts/run-jest.cjs and trusted through NODE_EXTRA_CA_CERTS. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestTls {
  ca: string;
  cert: string;
  key: string;
}

export function testTls(): TestTls {
  const dir = process.env.SOAR_TEST_TLS_DIR;
  if (!dir || !process.env.NODE_EXTRA_CA_CERTS) {
    throw new Error('Run the tests through `npm test` (scripts/run-jest.cjs creates the throwaway test CA)');
  }
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}
