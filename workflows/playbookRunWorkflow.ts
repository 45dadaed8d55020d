/**
 * One run of a predefined playbook for an alert (R8), as a child workflow of the alert: steps in dependency order,
 * each action through the engine's own checks (`carryOutAction`), approvals as Updates bound to a digest, undo in
 * reverse on failure or on request. The run stays open for an undo until its alert is closed.
 */
import { condition, patched, setHandler } from '@temporalio/workflow';
import type { PlaybookRunStatus } from '../domain/response/playbookRun';
import { describeTarget, type ResolvedTarget } from '../domain/response/targets';
import { decideActionUpdate, finishRunSignal, playbookRunQuery, undoRunUpdate } from './messages';
import { carryOutAction, type ActionOutcome } from './playbook/carryOutAction';
import type { PlaybookRunInput } from './playbook/playbookRunInput';
import { resolveTargets } from './playbook/resolveTargets';
import { PlaybookRunRecord } from './playbook/runRecord';
import { undoRegistered } from './playbook/undoActions';

export type { PlaybookRunInput } from './playbook/playbookRunInput';

/** Patch: a run that fails keeps its containment instead of undoing it (older histories replay the automatic undo). */
const NO_AUTOMATIC_UNDO = 'no-automatic-undo-of-containment';

/** Patch: dry-runs (mode `dry-run`) stop before vendor changes and end with their forward steps. */
const DRY_RUN = 'dry-run-mode';

/** Roles whose keys may decide an approval. */
const APPROVER_ROLES = ['analyst', 'admin'];

export async function playbookRunWorkflow(input: PlaybookRunInput): Promise<PlaybookRunStatus> {
  const run = new PlaybookRunRecord(input);
  registerHandlers(run);
  // patched() only for a dry-run: live runs, old and new, record no marker and replay as before.
  run.dryRun = input.mode === 'dry-run' && patched(DRY_RUN);
  const marked = run.dryRun ? ' as a DRY-RUN (no vendor change, no customer notice, not a measure)' : '';
  run.record('playbook_started', input.startedBy, `Playbook ${input.playbook.id} v${input.playbook.version} (${input.playbook.digest}) started${marked}`);

  const outcome = await runSteps(run);
  let containmentKept = false;
  if (outcome === 'fatal') {
    await run.enter('failed');
    containmentKept = await afterFailure(run);
  } else if (!run.undoRequest) {
    const handedOver = run.status.actions.some((a) => a.state === 'handed_to_human' || a.state === 'rejected' || a.state === 'failed');
    await run.enter(handedOver ? 'completed_with_handoffs' : 'completed');
  }
  run.record('playbook_finished', 'system', `Forward steps ended: ${run.status.state}`);
  // A dry-run changed nothing, so nothing waits for an undo: its result (what it would have called) lands in history now.
  if (run.dryRun) return run.status;

  await condition(() => run.undoRequest !== null || run.finishRequested);
  if (run.undoRequest && (outcome !== 'fatal' || containmentKept)) {
    await run.enter('undoing');
    await undoRegistered(run, `requested by ${run.undoRequest.by}: ${run.undoRequest.reason}`);
    await run.enter('undone');
  }
  await condition(() => run.finishRequested);
  return run.status;
}

/**
 * A measure failed for good (the SOC was paged with the vendor's message): what was contained stays contained, except
 * the measures of steps marked `undoOnFailure`; the rest is undone only on an analyst's request. Runs from before this
 * rule undid everything at once. True when the run keeps measures for a later undo.
 */
async function afterFailure(run: PlaybookRunRecord): Promise<boolean> {
  if (!patched(NO_AUTOMATIC_UNDO)) {
    await undoRegistered(run, 'a measure failed');
    return false;
  }
  const undoOnFailure = new Set(run.input.playbook.steps.filter((s) => s.undoOnFailure === true).map((s) => s.id));
  if (undoOnFailure.size > 0) await undoRegistered(run, 'a measure failed (steps marked undoOnFailure)', (a) => undoOnFailure.has(a.stepId));
  const kept = run.status.actions.filter((a) => a.undo?.state === 'registered').map((a) => `${a.action} on ${describeTarget(a.target)}`);
  run.record('playbook_finished', 'system', kept.length > 0 ? `A measure failed: containment kept (${kept.join('; ')}); undo only on request` : 'A measure failed: nothing contained to keep');
  return true;
}

async function runSteps(run: PlaybookRunRecord): Promise<ActionOutcome> {
  let outcome: ActionOutcome = 'ok';
  for (const step of run.input.playbook.steps) {
    if (run.undoRequest || run.finishRequested) break;
    const targets = resolveTargets(step.target, run.input, run.status.actions);
    const subjects: (ResolvedTarget | null)[] = step.subject ? resolveTargets(step.subject, run.input, run.status.actions) : [null];
    if (targets.length === 0 || subjects.length === 0) {
      run.record('handed_to_human', 'system', `Step '${step.id}' (${step.action}) has nothing to act on`);
      continue;
    }
    for (const target of targets) {
      for (const subject of subjects) {
        if (run.undoRequest || run.finishRequested) return outcome;
        outcome = await carryOutAction(run, step, target, subject);
        if (outcome === 'fatal') return outcome;
      }
    }
  }
  return outcome === 'handed_over' ? 'ok' : outcome;
}

/** The key id in `analyst:<id>` (a run started by the system has no person to compare with). */
function starterId(startedBy: string): string | null {
  return startedBy.startsWith('analyst:') || startedBy.startsWith('admin:') ? startedBy.slice(startedBy.indexOf(':') + 1) : null;
}

function registerHandlers(run: PlaybookRunRecord): void {
  setHandler(playbookRunQuery, () => run.status);
  setHandler(finishRunSignal, () => {
    run.finishRequested = true;
  });

  setHandler(
    decideActionUpdate,
    ({ approver, digest, decision, reason }) => {
      const action = run.awaitingDecision(digest);
      if (!action?.approval) throw new Error(`No action waits for a decision on ${digest}`); // the validator ran first
      Object.assign(action.approval, { decision, by: `${approver.role}:${approver.id}`, at: new Date().toISOString(), reason });
      action.state = decision === 'approve' ? 'pending' : 'rejected';
      if (decision === 'reject') action.reason = reason;
      run.record(decision === 'approve' ? 'approved' : 'rejected', `${approver.role}:${approver.id}`, `${action.action} on ${describeTarget(action.target)} (${digest}): ${reason}`);
      return action;
    },
    {
      validator: ({ approver, digest, decision, reason }) => {
        if (!APPROVER_ROLES.includes(approver.role)) throw new Error(`Role '${approver.role}' may not decide approvals`);
        const waiting = run.awaitingDecision(digest);
        if (!waiting) {
          const known = run.status.actions.find((a) => a.digest === digest);
          throw new Error(known ? `The action ${digest} is '${known.state}', not waiting for a decision` : `No action of this run has the digest ${digest}`);
        }
        if (decision === 'approve' && waiting.approval?.fourEyes && approver.id === starterId(run.input.startedBy)) {
          throw new Error(`R8 four-eyes: ${run.input.startedBy} started this run and may not approve its ${waiting.action}; another analyst or admin must approve`);
        }
        if (decision === 'reject' && reason.trim().length === 0) throw new Error('A rejection needs a reason');
        if (reason.length > 4000) throw new Error('reason must be at most 4000 characters');
      },
    },
  );

  setHandler(
    undoRunUpdate,
    ({ analyst, reason }) => {
      run.undoRequest = { by: `analyst:${analyst.id}`, reason };
      run.record('undo_requested', `analyst:${analyst.id}`, reason);
      return run.status;
    },
    {
      validator: ({ reason }) => {
        if (run.undoRequest) throw new Error('An undo was already requested for this run');
        if (run.status.state === 'failed' && !run.status.actions.some((a) => a.undo?.state === 'registered')) {
          throw new Error('The run failed and nothing it did is left to undo');
        }
        if (reason.trim().length === 0 || reason.length > 4000) throw new Error('reason must be 1-4000 characters');
      },
    },
  );
}
