/**
 * How every process of the engine connects to Temporal (clients and workers alike): plain for the embedded dev server,
 * otherwise TLS with the system's roots or a CA file, mTLS with a client certificate, and a Temporal Cloud API key
 * resolved from its secret reference. A file that cannot be read stops the start, naming the variable and the file;
 * the API key never appears in an error.
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { secretResolverFromEnvironment, type EngineConfig } from '../config';
import type { SecretResolver } from '../secrets';

export interface TemporalSecurity {
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  serverName?: string | undefined;
  apiKeyRef?: string | undefined;
}

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

export function temporalConnectionOptions(address: string, security: TemporalSecurity | null, secrets: SecretResolver): TemporalConnectionOptions {
  if (security === null) return { address };
  const read = (variable: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      const reason = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
      throw new Error(`${variable}: cannot read ${file} (${reason})`);
    }
  };
  const tls: TLSConfig = {};
  if (security.caFile) tls.serverRootCACertificate = read('TEMPORAL_TLS_CA_FILE', security.caFile);
  if (security.certFile && security.keyFile) {
    tls.clientCertPair = { crt: read('TEMPORAL_TLS_CERT_FILE', security.certFile), key: read('TEMPORAL_TLS_KEY_FILE', security.keyFile) };
  }
  if (security.serverName) tls.serverNameOverride = security.serverName;
  return { address, tls, ...(security.apiKeyRef ? { apiKey: secrets.resolve(security.apiKeyRef) } : {}) };
}

/** The options for this process's configuration (secrets from the environment and mounted files). */
export function connectionOptionsOf(config: Pick<EngineConfig, 'temporal'>, address: string): TemporalConnectionOptions {
  return temporalConnectionOptions(address, config.temporal.security, secretResolverFromEnvironment());
}
