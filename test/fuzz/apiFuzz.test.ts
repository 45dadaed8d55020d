/**
 * schemathesis fuzzes every operation of GET /openapi.json with the admin and the analyst key: no answer is a 5xx, and
 * every answer matches the document (status code, content type, headers, body schema). `SOAR_FUZZ_CHECKS=all` adds the
 * checks that need data the document cannot describe (see docs/operations.md).
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSchemathesis } from '../support/schemathesis';
import { startTestEngine, type TestEngine } from '../support/testEngine';

/** Examples per operation and key: small enough for CI (about a minute); raise locally with SOAR_FUZZ_EXAMPLES. */
const EXAMPLES = Number(process.env.SOAR_FUZZ_EXAMPLES ?? 25);
const CHECKS =
  process.env.SOAR_FUZZ_CHECKS ?? 'not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance';

let engine: TestEngine;
let server: Server;
let base: string;
let schemathesis: string;
/** schemathesis and Hypothesis keep their example databases in the working folder: a scratch one, not the repository. */
let scratch: string;
beforeAll(async () => {
  schemathesis = await ensureSchemathesis();
  scratch = mkdtempSync(join(tmpdir(), 'soar-fuzz-'));
  engine = await startTestEngine({ hardening: { rateLimitPerMinute: 1_000_000, failedAuthPerMinute: 1_000_000 }, ownNamespace: true });
  server = createServer(engine.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 900_000);
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await engine?.stop();
});

function fuzz(key: string): Promise<{ code: number; output: string }> {
  const args = ['run', `${base}/openapi.json`, '--checks', CHECKS, '--max-examples', String(EXAMPLES), '--seed', '8', '--workers', '2', '--request-timeout', '20', '--no-color', '-H', `Authorization: Bearer ${key}`];
  return new Promise((resolve) => {
    execFile(schemathesis, args, { cwd: scratch, timeout: 300_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

test.each(['admin', 'analyst'])('with the %s key: zero 5xx and every answer as documented, across every operation', async (role) => {
  const { code, output } = await fuzz(engine.key(role));
  // The whole report, for reading a failure: the test prints only its end.
  writeFileSync(join(tmpdir(), `soar-schemathesis-${role}.txt`), output);
  if (code !== 0) process.stderr.write(output.slice(-20_000));
  expect(output).toMatch(/SUMMARY/);
  // Failures are what the checks found (a 5xx, an answer the document does not describe); errors (a request past --request-timeout, the tool's own) are printed above.
  expect(output).not.toMatch(/^Failures:/m);
}, 600_000);
