/** Checks across the steps of a playbook: actions, references, kinds, params, cycles; and the run order of the steps. */
import type { z } from 'zod';
import { ACTIONS, isActionName, type ActionName, type ActionSpec } from '../response/actionCatalog';
import { ACTION_PARAMS } from '../response/actionSchemas';
import type { TargetKind } from '../response/targets';
import { unknownKeyMessage } from '../tenant/unknownKeyHint';
import type { PlaybookStep, TargetRef } from './playbookDefinition';
import { PLAYBOOK_ACTIONS, type PlaybookFields, type PlaybookStepFields } from './playbookSchema';

type Path = (string | number)[];
type Refuse = (path: Path, message: string) => void;

/** The kind of target each alert entity reference yields. */
const ALERT_KINDS = { users: 'user', hosts: 'host', ips: 'ip', files: 'file', source: 'alert' } as const satisfies Record<string, TargetKind>;

/** Example reference per kind, for messages that say what would fit. */
const EXAMPLE_REFS: Record<TargetKind, string> = {
  user: '{alert: users}',
  host: '{alert: hosts}',
  ip: '{alert: ips}',
  file: '{alert: files}',
  alert: '{alert: source}',
  firewall: '{tenant: firewalls}',
};

export function checkPlaybook(playbook: PlaybookFields, ctx: z.RefinementCtx<PlaybookFields>) {
  let refused = false;
  const refuse: Refuse = (path, message) => {
    refused = true;
    ctx.addIssue({ code: 'custom', path, message });
  };
  const index = indexSteps(playbook.steps, refuse);
  const params = playbook.steps.map((step, i) => checkStep(step, i, index, playbook.steps, refuse));
  const order = runOrder(playbook.steps, index, refuse);
  if (refused) return undefined as never;
  const steps = order.map((i): PlaybookStep => {
    const step = playbook.steps[i] as PlaybookStepFields;
    const action = step.action as ActionName;
    return {
      id: step.id,
      action,
      title: step.title ?? ACTIONS[action].summary,
      target: step.target,
      subject: step.subject ?? null,
      params: params[i] ?? {},
      after: step.after,
      requiresApproval: step.requiresApproval,
      undoOnFailure: step.undoOnFailure,
    };
  });
  return { id: playbook.id, version: playbook.version, title: playbook.title, description: playbook.description, steps };
}

/** Step id -> index of its first occurrence; a repeated id is refused. */
function indexSteps(steps: readonly PlaybookStepFields[], refuse: Refuse): Map<string, number> {
  const index = new Map<string, number>();
  steps.forEach((step, i) => {
    const first = index.get(step.id);
    if (first !== undefined) refuse(['steps', i, 'id'], `duplicate step id '${step.id}' (first at steps[${first}])`);
    else index.set(step.id, i);
  });
  return index;
}

/** Checks one step and returns its parsed params (defaults applied), or undefined when they are refused. */
function checkStep(
  step: PlaybookStepFields,
  i: number,
  index: ReadonlyMap<string, number>,
  steps: readonly PlaybookStepFields[],
  refuse: Refuse,
): Record<string, unknown> | undefined {
  step.after.forEach((id, j) => {
    if (!index.has(id)) refuse(['steps', i, 'after', j], `after names step '${id}', which this playbook does not have${known(index)}`);
  });
  const action = step.action;
  if (!isActionName(action)) {
    refuse(['steps', i, 'action'], `unknown action '${action}'; known actions: ${PLAYBOOK_ACTIONS.join(', ')}`);
    return undefined;
  }
  const spec: ActionSpec = ACTIONS[action];
  if (spec.undoOnly) {
    refuse(['steps', i, 'action'], `'${action}' is undo-only: the engine runs it to undo ${undoneBy(action)}; a playbook cannot name it`);
    return undefined;
  }

  const targetKind = kindOf(step.target, ['steps', i, 'target'], index, steps, refuse);
  if (targetKind !== undefined && targetKind !== spec.target) {
    refuse(['steps', i, 'target'], `${action} acts on a ${spec.target}, but ${describeRef(step.target)} yields ${article(targetKind)}; use a reference that yields ${article(spec.target)}, like ${EXAMPLE_REFS[spec.target]}`);
  }
  if (spec.subject === null && step.subject !== undefined) {
    refuse(['steps', i, 'subject'], `${action} takes no subject`);
  } else if (spec.subject !== null && step.subject === undefined) {
    refuse(['steps', i], `${action} needs a subject: ${article(spec.subject)}, like subject: ${EXAMPLE_REFS[spec.subject]}`);
  } else if (spec.subject !== null && step.subject !== undefined) {
    const subjectKind = kindOf(step.subject, ['steps', i, 'subject'], index, steps, refuse);
    if (subjectKind !== undefined && subjectKind !== spec.subject) {
      refuse(['steps', i, 'subject'], `${action} needs ${article(spec.subject)} as its subject, but ${describeRef(step.subject)} yields ${article(subjectKind)}; like ${EXAMPLE_REFS[spec.subject]}`);
    }
  }

  const schema = ACTION_PARAMS[action];
  const parsed = schema.safeParse(step.with ?? {});
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const path: Path = ['steps', i, 'with', ...issue.path.map((key) => (typeof key === 'number' ? key : String(key)))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const message = unknownKeyMessage(schema, issue.path, key);
        refuse([...path, key], Object.keys(schema.shape).length === 0 ? `${message}: ${action} takes no parameters` : `${message} (parameter of ${action})`);
      }
    } else {
      refuse(path, `${action}: ${issue.message}`);
    }
  }
  return undefined;
}

/** The kind a reference yields, or undefined when it cannot be known (a missing step or output, refused here). */
function kindOf(ref: TargetRef, path: Path, index: ReadonlyMap<string, number>, steps: readonly PlaybookStepFields[], refuse: Refuse): TargetKind | undefined {
  if ('alert' in ref) return ALERT_KINDS[ref.alert];
  if ('tenant' in ref) return 'firewall';
  const at = index.get(ref.step);
  const source = at === undefined ? undefined : steps[at];
  if (!source) {
    refuse([...path, 'step'], `refers to step '${ref.step}', which this playbook does not have${known(index)}`);
    return undefined;
  }
  if (!isActionName(source.action) || ACTIONS[source.action].undoOnly) return undefined;
  const outputs: Readonly<Record<string, TargetKind>> = ACTIONS[source.action].outputs;
  const kind = Object.hasOwn(outputs, ref.output) ? outputs[ref.output] : undefined;
  if (kind === undefined) {
    const names = Object.keys(outputs);
    refuse(
      [...path, 'output'],
      `step '${ref.step}' (${source.action}) has no output '${ref.output}'; ` + (names.length > 0 ? `its outputs: ${names.join(', ')}` : `${source.action} declares no outputs`),
    );
  }
  return kind;
}

/** The steps each step depends on: `after` and the steps its target and subject refer to (known ones only). */
function dependencies(step: PlaybookStepFields, index: ReadonlyMap<string, number>): number[] {
  const refs = [step.target, step.subject].flatMap((ref) => (ref !== undefined && 'step' in ref ? [ref.step] : []));
  const ids = [...step.after, ...refs];
  return [...new Set(ids.flatMap((id) => { const at = index.get(id); return at === undefined ? [] : [at]; }))];
}

/**
 * Step indexes in run order: every step after the steps it depends on, otherwise in file order (Kahn's algorithm,
 * always taking the earliest ready step). Cycles are refused naming their steps.
 */
function runOrder(steps: readonly PlaybookStepFields[], index: ReadonlyMap<string, number>, refuse: Refuse): number[] {
  const deps = steps.map((step, i) => (index.get(step.id) === i ? dependencies(step, index) : []));
  const done = new Set<number>();
  const order: number[] = [];
  for (;;) {
    const next = steps.findIndex((_, i) => !done.has(i) && (deps[i] ?? []).every((d) => done.has(d)));
    if (next < 0) break;
    done.add(next);
    order.push(next);
  }
  // Every step left waits on another step left, so walking its dependencies must come back to a step seen: a cycle.
  const inReportedCycle = new Set<number>();
  for (let start = 0; start < steps.length; start++) {
    if (done.has(start) || inReportedCycle.has(start)) continue;
    const walk: number[] = [];
    let current = start;
    while (!walk.includes(current) && !inReportedCycle.has(current)) {
      walk.push(current);
      current = (deps[current] ?? []).find((d) => !done.has(d)) ?? current;
    }
    if (inReportedCycle.has(current)) continue;
    const cycle = walk.slice(walk.indexOf(current));
    cycle.forEach((i) => inReportedCycle.add(i));
    const first = Math.min(...cycle);
    const rotated = [...cycle.slice(cycle.indexOf(first)), first];
    const names = rotated.map((i) => `'${steps[i]?.id}'`).join(' -> ');
    refuse(['steps', first, 'id'], cycle.length === 1 ? `step '${steps[first]?.id}' depends on itself` : `steps ${names} form a cycle: each waits for the next`);
  }
  return order;
}

function describeRef(ref: TargetRef): string {
  if ('alert' in ref) return `{alert: ${ref.alert}}`;
  if ('tenant' in ref) return `{tenant: ${ref.tenant}}`;
  return `{step: ${ref.step}, output: ${ref.output}}`;
}

function article(kind: TargetKind): string {
  return ARTICLES[kind];
}

const ARTICLES: Record<TargetKind, string> = { user: 'a user', host: 'a host', ip: 'an IP', file: 'a file', alert: 'an alert', firewall: 'a firewall' };

function undoneBy(undo: string): string {
  const original = Object.entries(ACTIONS).find(([, spec]) => spec.undo === undo);
  return original ? original[0] : 'another action';
}

function known(index: ReadonlyMap<string, number>): string {
  return index.size > 0 ? ` (steps: ${[...index.keys()].join(', ')})` : '';
}
