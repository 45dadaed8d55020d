/**
 * Golden histories (R18): every history committed under test/fixtures/histories replays against the current
 * workflow code, and fresh histories of every path are recorded and replayed too, so a change that breaks
 * determinism fails here. `SOAR_WRITE_GOLDEN=1` also writes the fresh ones to the fixtures folder (see docs/audit.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFilesAt, readHistoryFile } from '../../infra/audit/historyFiles';
import { Replayer, type ReplayOutcome } from '../../infra/audit/replayer';
import { exportHistory, fetchWorkflowTree } from '../../infra/audit/workflowHistories';
import { REPO } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';
import { AuditEngine } from './auditScenarios';
import { decodeHistory } from '../../infra/crypto/historyPayloads';

const GOLDEN_DIR = join(REPO, 'test/fixtures/histories');
const replayer = () => new Replayer({ workflowBundle: { codePath: testTemporal().bundlePath } });

function divergences(sources: string[], outcomes: ReplayOutcome[]): string[] {
  return outcomes.flatMap((o, i) => (o.deterministic ? [] : [`${sources[i] ?? o.workflowId}: ${o.divergence}`]));
}

test('R18 every committed golden history replays against the current workflow code', async () => {
  const histories = historyFilesAt(GOLDEN_DIR).flatMap(readHistoryFile);
  expect(histories.length).toBeGreaterThanOrEqual(5);
  const started = Date.now();
  const outcomes = await replayer().replayAll(histories);
  process.stderr.write(`[golden] replayed ${outcomes.length} committed histories in ${Date.now() - started} ms\n`);
  expect(outcomes).toHaveLength(histories.length);
  expect(divergences(histories.map((h) => h.source), outcomes)).toEqual([]);
});

describe('R18 fresh histories of every path', () => {
  const audit = new AuditEngine();
  beforeAll(() => audit.start());
  afterAll(() => audit.stop());

  test('R18 package 1, package 2 after service hours, package 3 with a playbook approved and undone, an unacknowledged escalation, a matrix denial and a dry-run with a shadow run replay deterministically', async () => {
    const paths: [string, () => Promise<string>][] = [
      ['package-1', () => audit.package1()],
      ['package-2-service-hours', () => audit.package2AfterServiceHours()],
      ['package-3-playbook-approved-undone', async () => (await audit.package3PlaybookApprovedAndUndone()).alertId],
      ['critical-escalation-unacknowledged', () => audit.escalationWithoutAcknowledgement()],
      ['matrix-denial', () => audit.matrixDenial()],
      ['dry-run-and-shadow', () => audit.dryRunAndShadow()],
    ];
    // One after another: the package-2 path closes the service window for the alerts submitted meanwhile.
    const recorded: { name: string; alertId: string }[] = [];
    for (const [name, drive] of paths) recorded.push({ name, alertId: await drive() });
    const sources: string[] = [];
    const inputs = [];
    for (const { name, alertId } of recorded) {
      const tree = await fetchWorkflowTree(audit.engine.client, alertId);
      if (process.env.SOAR_WRITE_GOLDEN === '1') {
        mkdirSync(GOLDEN_DIR, { recursive: true });
        // Decoded: the test keys are random per run, a committed golden must replay without them.
        const plain = await Promise.all(tree.map(async (h) => ({ ...h, history: await decodeHistory(h.history, audit.engine.payloadCodec) })));
        writeFileSync(join(GOLDEN_DIR, `${name}.json`), `${JSON.stringify({ alertId, path: name, histories: plain.map(exportHistory) }, null, 1)}\n`);
      }
      for (const h of tree) {
        sources.push(`${name}#${h.workflowId}`);
        inputs.push({ workflowId: h.workflowId, history: h.history });
      }
    }
    expect(sources.filter((s) => s.includes('.run-')).length).toBeGreaterThanOrEqual(2);
    const started = Date.now();
    // Fresh histories are encrypted: the replay decodes them with the engine's codec (R18 with the codec in place).
    const outcomes = await new Replayer({ workflowBundle: { codePath: testTemporal().bundlePath }, payloadCodec: audit.engine.payloadCodec }).replayAll(inputs);
    process.stderr.write(`[golden] replayed ${outcomes.length} fresh histories in ${Date.now() - started} ms\n`);
    expect(divergences(sources, outcomes)).toEqual([]);
  }, 180_000);
});
