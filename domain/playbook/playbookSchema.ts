/** The strict schema of a playbook file (`playbooks/<id>.yaml`); checks across steps live in `playbookRules.ts`. */
import { z } from 'zod';
import { slugSchema } from '../alert';
import { ACTIONS } from '../response/actionCatalog';
import type { TargetRef } from './playbookDefinition';
import { checkPlaybook } from './playbookRules';

/** Step ids: lower-case letters, digits and inner hyphens, starting with a letter, like `disable-user`. */
export const stepIdSchema = z
  .string()
  .regex(/^[a-z](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'a step id: lower-case letters, digits and inner hyphens, starting with a letter, like disable-user');

/** The actions a playbook may name: every catalogue action except those the engine only runs as an undo. */
export const PLAYBOOK_ACTIONS = Object.entries(ACTIONS)
  .filter(([, spec]) => !spec.undoOnly)
  .map(([name]) => name);

const ALERT_ENTITIES = ['users', 'hosts', 'ips', 'files', 'source'] as const;

/** Any name here; `playbookRules.ts` refuses an unknown or undo-only one, so that a typo does not hide the other issues. */
const actionSchema = z.string().min(1).max(64);

/** One object with the keys of all three forms, so that a misspelt key gets a hint; the refinement keeps exactly one form. */
export const targetRefFieldsSchema = z
  .strictObject({
    alert: z.enum(ALERT_ENTITIES).optional().describe('Every entity of that kind in the alert; `source` is the vendor alert itself.'),
    tenant: z.literal('firewalls').optional().describe("Every firewall source of the tenant that has a block list (R12)."),
    step: stepIdSchema.optional().describe('An earlier step, with `output`: one of the outputs its action declares.'),
    output: z.string().min(1).max(64).optional(),
  })
  .describe('A typed reference: {alert: users|hosts|ips|files|source}, {tenant: firewalls} or {step: <id>, output: <name>}.');

const targetRefSchema = targetRefFieldsSchema
  .superRefine((ref, ctx) => {
    const forms = (['alert', 'tenant', 'step'] as const).filter((key) => ref[key] !== undefined);
    if (forms.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a reference has exactly one of alert, tenant or step (found ${forms.length === 0 ? 'none' : forms.join(', ')}): {alert: users}, {tenant: firewalls} or {step: <id>, output: <name>}`,
      });
    } else if (ref.step !== undefined && ref.output === undefined) {
      ctx.addIssue({ code: 'custom', path: ['step'], message: `a step reference names the output too: {step: ${ref.step}, output: <name>}` });
    } else if (ref.step === undefined && ref.output !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['output'], message: 'output belongs to a step reference: {step: <id>, output: <name>}' });
    }
  })
  .transform((ref): TargetRef => {
    if (ref.alert !== undefined) return { alert: ref.alert };
    if (ref.tenant !== undefined) return { tenant: ref.tenant };
    return { step: ref.step ?? '', output: ref.output ?? '' };
  });

export const playbookStepSchema = z.strictObject({
  id: stepIdSchema.describe('Unique within the playbook; later steps refer to it.'),
  action: actionSchema.describe(`A playbook action: ${PLAYBOOK_ACTIONS.join(', ')}.`),
  title: z.string().min(1).max(200).optional().describe('For people: what this step is for (defaults to the action summary).'),
  target: targetRefSchema.describe("What the action acts on; its kind must be the action's target kind."),
  subject: targetRefSchema.optional().describe('Exactly for actions that need a second thing: the IP to block, the file to quarantine.'),
  with: z.record(z.string(), z.unknown()).optional().describe("The action's parameters, checked against that action's parameter schema."),
  after: z.array(stepIdSchema).default([]).describe('Steps that must have finished first, besides those target and subject refer to.'),
  requiresApproval: z.boolean().default(false).describe('An analyst approves each action of this step even where the release matrix does not ask for it.'),
  undoOnFailure: z
    .boolean()
    .default(false)
    .describe("Undo this step's measures by themselves when a later measure of the run fails for good; otherwise containment is kept and only an analyst's request undoes it."),
});

export const playbookFieldsSchema = z
  .strictObject({
    id: slugSchema.describe('The playbook id; must equal the file name without .yaml.'),
    version: z.number().int().positive().describe('Bumped on every change; recorded with every run (R18).'),
    title: z.string().min(1).max(200),
    description: z.string().min(1).max(4000),
    steps: z.array(playbookStepSchema).min(1, 'a playbook needs at least one step').max(50, 'a playbook has at most 50 steps'),
  })
  .meta({ title: 'SOAR playbook', description: 'A predefined response procedure (R8): playbooks/<id>.yaml.' });

export type PlaybookFields = z.output<typeof playbookFieldsSchema>;
export type PlaybookStepFields = PlaybookFields['steps'][number];

/** The whole file: fields, then the checks across steps, giving the steps in run order with their parsed params. */
export const playbookSchema = playbookFieldsSchema.transform(checkPlaybook);

export type PlaybookBody = z.output<typeof playbookSchema>;
