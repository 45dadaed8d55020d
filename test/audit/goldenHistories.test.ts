/**
 * Golden histories (R18): every history committed under test/fixtures/histories replays against the current
 * workflow code, and fresh histories of every path are recorded and replayed too, so a change that breaks
 * determinism fails here. `SOAR_WRITE_GOLDEN=1` also writes the fresh ones to the fixtures folder (see docs/audit.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFilesAt, readHistoryFile } from '../../infra/audit/historyFiles';
import { Replayer, type ReplayOutcome } from '../../infra/audit/replayer';
import { fetchWorkflowTree } from '../../infra/audit/workflowHistories';
import { temporal } from '@temporalio/proto';
import { REPO } from '../support/testEngine';
import { testTemporal } from '../support/testEnv';
import { AuditEngine } from './auditScenarios';
import { GOLDEN_DIR, writeGoldenIfAsked } from './goldenFiles';

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

/**
 * Drives the paths one after another (a path that closes the service window must not overlap another), replays their
 * fresh histories, and with SOAR_WRITE_GOLDEN=1 writes them, decoded, as `<name>.json` golden files.
 */
async function recordAndReplay(audit: AuditEngine, paths: [string, () => Promise<string>][]): Promise<void> {
  const recorded: { name: string; alertId: string }[] = [];
  for (const [name, drive] of paths) recorded.push({ name, alertId: await drive() });
  const sources: string[] = [];
  const inputs = [];
  for (const { name, alertId } of recorded) {
    const tree = await fetchWorkflowTree(audit.engine.client, alertId);
    await writeGoldenIfAsked(name, alertId, tree, audit.engine.payloadCodec);
    for (const h of tree) {
      sources.push(`${name}#${h.workflowId}`);
      inputs.push({ workflowId: h.workflowId, history: h.history });
    }
  }
  expect(sources.filter((s) => s.includes('.run-')).length).toBeGreaterThanOrEqual(Math.min(2, paths.length));
  const started = Date.now();
  // Fresh histories are encrypted: the replay decodes them with the engine's codec (R18 with the codec in place).
  const outcomes = await new Replayer({ workflowBundle: { codePath: testTemporal().bundlePath }, payloadCodec: audit.engine.payloadCodec }).replayAll(inputs);
  process.stderr.write(`[golden] replayed ${outcomes.length} fresh histories in ${Date.now() - started} ms\n`);
  expect(divergences(sources, outcomes)).toEqual([]);
}

/** The patch markers a history file records (`core_patch` markers), by id. */
function patchIdsOf(file: string): string[] {
  return readHistoryFile(file).flatMap(({ history }) =>
    ((history as temporal.api.history.v1.IHistory).events ?? []).flatMap((event) => {
      const attributes = event.markerRecordedEventAttributes;
      const data: unknown = attributes?.markerName === 'core_patch' ? attributes.details?.['patch-data']?.payloads?.[0]?.data : undefined;
      if (data === undefined || data === null) return [];
      // Exported files keep payload data as base64 text.
      const bytes = typeof data === 'string' ? Buffer.from(data, 'base64') : Buffer.from(data as Uint8Array);
      return [(JSON.parse(bytes.toString('utf8')) as { id: string }).id];
    }),
  );
}

describe('R18 fresh histories of every path', () => {
  // The SOC's Teams channel is on here, so the escalation path posts its cards (patch soc-channel-cards).
  const audit = new AuditEngine({ socChannel: true });
  beforeAll(() => audit.start());
  afterAll(() => audit.stop());

  test('R18 package 1, package 2 after service hours, package 3 with a playbook approved and undone, an unacknowledged escalation, a matrix denial and a dry-run with a shadow run replay deterministically', async () => {
    const paths: [string, () => Promise<string>][] = [
      ['package-1-one-step', () => audit.package1()],
      ['package-2-service-hours', () => audit.package2AfterServiceHours()],
      ['package-3-playbook-approved-undone', async () => (await audit.package3PlaybookApprovedAndUndone()).alertId],
      ['critical-escalation-unacknowledged', () => audit.escalationWithoutAcknowledgement()],
      ['matrix-denial', () => audit.matrixDenial()],
      ['dry-run-and-shadow', () => audit.dryRunAndShadow()],
    ];
    await recordAndReplay(audit, paths);
  }, 180_000);

  test('R18 the patched paths (approval expiring across a wait, recommendation after hours, no automatic undo, responsible people, automatic isolation) replay deterministically', async () => {
    await recordAndReplay(audit, [
      ['approval-expires-across-wait', () => audit.approvalExpiresAcrossWait()],
      ['recommendation-after-hours', () => audit.recommendationAfterHours()],
      ['no-automatic-undo', () => audit.noAutomaticUndo()],
      ['measure-notices-to-responsible-people', () => audit.responsiblePeopleOnly()],
      ['ai-isolation-verified-budget', () => audit.aiIsolation()],
    ]);
  }, 240_000);

  test('R18 the dry-run, a shadow revision beside a live run and the escalation posted to the SOC channel replay deterministically', async () => {
    await recordAndReplay(audit, [
      ['playbook-dry-run', () => audit.dryRun()],
      ['soc-channel-critical-escalation', () => audit.socChannelEscalation()],
      // Last: the shadow revision stays in force for compromised-account on this engine.
      ['shadow-playbook-run', () => audit.shadowRun()],
    ]);
  }, 240_000);
});

/** Every `patched(ID)` in workflows/, with ID resolved from its `const ID = '...'` in the same file. */
function workflowPatchIds(dir = join(REPO, 'workflows')): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return [...text.matchAll(/(?:patched|deprecatePatch)\((?:([A-Z_]+)|'([^']+)')\)/g)].map(([, name, literal]) => {
        if (literal) return literal;
        const id = new RegExp(`const ${name} = '([^']+)'`).exec(text)?.[1];
        if (!id) throw new Error(`${file}: patched(${name}) names no string constant of this file`);
        return id;
      });
    });
}

test('R18 every patch a workflow asks for has a committed golden history that recorded its marker', () => {
  const recorded = new Set(historyFilesAt(GOLDEN_DIR).flatMap(patchIdsOf));
  const patches = [...new Set(workflowPatchIds())].sort();
  expect(patches.length).toBeGreaterThanOrEqual(10);
  expect(patches.filter((id) => !recorded.has(id))).toEqual([]);
});
