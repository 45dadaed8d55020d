/**
 * pySigma with its DuckDB backend (PyPI) as the oracle of the differential Sigma tests: installed on first use at
 * pinned versions into a project-local virtualenv under `.tools/` (git-ignored), then run as one long-lived process
 * (`sigma_oracle.py`) that answers one JSON request per line.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { z } from 'zod';
import { ensureVenv } from './pythonVenv';
import { REPO } from './testEnv';

const run = promisify(execFile);
/** pysigma-backend-duckdb 0.1.4 needs pySigma < 2; DuckDB itself is not among its dependencies. */
export const ORACLE_PACKAGES = ['pySigma==1.5.1', 'pysigma-backend-duckdb==0.1.4', 'duckdb==2.0.1'] as const;

export async function ensurePySigma(): Promise<string> {
  const venv = await ensureVenv('pysigma-1.5.1-duckdb-0.1.4', ORACLE_PACKAGES, 'The differential Sigma test', async (installed) => {
    await run(join(installed, 'bin', 'python'), ['-c', 'import duckdb, sigma, sigma_backend_duckdb'], { timeout: 60_000 });
  });
  return join(venv, 'bin', 'python');
}

export type OracleEvent = Record<string, string | number | boolean | null | (string | number | boolean | null)[]>;

export interface OracleRequest {
  /** Every field name a rule or an event of the request uses. */
  fields: readonly string[];
  rules: readonly { key: string; yaml: string }[];
  events: readonly OracleEvent[];
}

const verdictSchema = z.union([
  z.strictObject({ matches: z.array(z.number()), errors: z.record(z.string(), z.string()), sql: z.string() }),
  z.strictObject({ refused: z.string() }),
]);
export type OracleVerdict = z.infer<typeof verdictSchema>;
const answerSchema = z.strictObject({ results: z.record(z.string(), verdictSchema) });

export interface OracleCorrelationRequest {
  fields: readonly string[];
  groupBy: readonly string[];
  /** The referenced rules and the correlation rule, as one multi-document YAML text. */
  collection: string;
  /** Events with their time in seconds (`@seconds`). */
  events: readonly (OracleEvent & { '@seconds': number })[];
}
const correlationAnswerSchema = z.union([
  z.strictObject({ groups: z.array(z.array(z.string().nullable())), sql: z.string() }),
  z.strictObject({ refused: z.string(), sql: z.string().optional() }),
]);
export type OracleCorrelationVerdict = z.infer<typeof correlationAnswerSchema>;

/** The running oracle: `ask` sends one request and waits for its answer (requests are answered in order). */
export class SigmaOracle {
  private readonly waiting: ((line: string) => void)[] = [];
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
    // A crashed oracle answers nothing more: every waiting request gets its error output instead of hanging.
    child.on('close', () => {
      for (const waiting of this.waiting.splice(0)) waiting('');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
  }

  static async start(): Promise<SigmaOracle> {
    const python = await ensurePySigma();
    return new SigmaOracle(spawn(python, [join(REPO, 'test', 'support', 'sigma_oracle.py')], { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  async ask(request: OracleRequest): Promise<Record<string, OracleVerdict>> {
    return answerSchema.parse(await this.send(request)).results;
  }

  /** The groups for which the correlation holds over all the events (pySigma's correlation query). */
  async correlate(request: OracleCorrelationRequest): Promise<OracleCorrelationVerdict> {
    return correlationAnswerSchema.parse(await this.send(request));
  }

  private send(request: object): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.child.exitCode !== null) {
        reject(new Error(`the pySigma oracle stopped: ${this.stderr}`));
        return;
      }
      this.waiting.push((line) => {
        if (line === '') {
          reject(new Error(`the pySigma oracle stopped: ${this.stderr}`));
          return;
        }
        try {
          resolve(JSON.parse(line));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      this.child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}

/** How many generated rules a differential run compares (`SIGMA_CONFORMANCE_RUNS`, 300 in CI) and its seed, if given. */
export const CONFORMANCE = {
  runs: Number(process.env.SIGMA_CONFORMANCE_RUNS ?? 300),
  seed: process.env.SIGMA_CONFORMANCE_SEED === undefined ? undefined : Number(process.env.SIGMA_CONFORMANCE_SEED),
};

/** Starts the oracle before the file's tests (installing it on first use) and stops it after; call the result inside a test. */
export function useSigmaOracle(): () => SigmaOracle {
  let oracle: SigmaOracle | undefined;
  beforeAll(async () => {
    oracle = await SigmaOracle.start();
  }, 900_000);
  afterAll(async () => {
    await oracle?.stop();
  });
  return () => {
    if (!oracle) throw new Error('the pySigma oracle is not running');
    return oracle;
  };
}
