/** Turns a tenant file's secret reference (`env:NAME`, `file:/path`) into the secret; never logs or reports the value. */
import { readFileSync } from 'node:fs';

export interface SecretResolver {
  /** The secret a reference points at; throws SecretUnavailableError (naming the reference, never a value) otherwise. */
  resolve(ref: string): string;
}

/** Thrown when a secret reference names a variable that is unset or a file that cannot be read or is empty. */
export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
  constructor(
    readonly ref: string,
    readonly reason: string,
  ) {
    super(`Secret ${ref} is not available: ${reason}`);
  }
}

/**
 * `env` is the process environment as the config module hands it over (only `infra/config.ts` reads `process.env`).
 * Files are read on every call, so a rotated mounted secret is picked up without a restart.
 */
export function createSecretResolver(env: Readonly<Record<string, string | undefined>>): SecretResolver {
  return {
    resolve(ref) {
      if (ref.startsWith('env:')) {
        const value = env[ref.slice('env:'.length)]?.trim();
        if (!value) throw new SecretUnavailableError(ref, 'the environment variable is not set or empty');
        return value;
      }
      if (ref.startsWith('file:')) {
        let text: string;
        try {
          text = readFileSync(ref.slice('file:'.length), 'utf8');
        } catch (error) {
          const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
          throw new SecretUnavailableError(ref, `the file cannot be read (${code})`);
        }
        const value = text.trim();
        if (!value) throw new SecretUnavailableError(ref, 'the file is empty');
        return value;
      }
      throw new SecretUnavailableError(ref, 'a secret reference is env:NAME or file:/path');
    },
  };
}
