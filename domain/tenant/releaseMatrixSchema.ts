/** The release matrix agreed at onboarding: which playbook measure may touch which systems (R8); everything else is denied. */
import { z } from 'zod';
import { slugSchema } from '../alert';

const patterns = (what: string) => z.array(z.string().min(1).max(320)).min(1).optional().describe(what);

const targetsSchema = z
  .strictObject({
    users: patterns('User principal names or glob patterns, like *@mueller-logistik.example.'),
    groups: patterns('Directory group names.'),
    hosts: patterns('Host names or glob patterns, like WS-*.'),
    hostGroups: patterns('Host group names.'),
    firewalls: z.array(slugSchema).min(1).optional().describe('Ids of this tenant\'s firewall sources.'),
  })
  .refine((t) => Object.values(t).some((list) => list !== undefined && list.length > 0), {
    message: 'a release rule needs at least one target (users, groups, hosts, hostGroups or firewalls)',
  });

const exceptSchema = z
  .strictObject({
    users: patterns('Never touched, e.g. break-glass and executive accounts.'),
    hosts: patterns('Never touched, e.g. servers.'),
  })
  .describe('Exceptions that win over the targets.');

export const releaseRuleSchema = z.strictObject({
  action: z
    .string()
    .regex(/^[a-z][a-z0-9]*\.[a-z][A-Za-z0-9]*$/, 'a playbook action name like m365.disableUser or firewall.blockIp')
    .describe('Release-matrix action (a measure the engine knows), e.g. m365.disableUser, m365.revokeSessions, defender.isolateDevice, defender.stopAndQuarantineFile, firewall.blockIp.'),
  targets: targetsSchema,
  requiresApproval: z
    .boolean()
    .default(true)
    .describe('An analyst approves this exact measure (action and target) before it runs; the customer is told before every measure either way (R8).'),
  fourEyes: z
    .boolean()
    .optional()
    .describe('Four-eyes principle: the analyst who started the playbook run may not approve this measure; another analyst or admin must. Default: on for m365.disableUser and defender.isolateDevice, off otherwise.'),
  except: exceptSchema.optional(),
});

export const releaseMatrixSchema = z
  .strictObject({
    rules: z.array(releaseRuleSchema).default([]),
    default: z.literal('deny', { error: 'default is always deny: what the matrix does not allow is refused (R8)' }).default('deny'),
    approvalValidityMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60)
      .describe('An approval given before a wait for service hours (R9) expires after this long and is asked for again when service opens.'),
  })
  .describe('What playbook measures may touch (R8); anything not allowed here is denied.');

export type ReleaseMatrix = z.output<typeof releaseMatrixSchema>;
export type ReleaseRule = z.output<typeof releaseRuleSchema>;
