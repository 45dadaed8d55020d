/** The parameters each playbook action takes (`with:` in a playbook file), as strict zod schemas with their defaults. */
import { z } from 'zod';
import type { ActionName } from './actionCatalog';

const none = z.strictObject({});
const comment = z.string().min(1).max(4000);

export const ACTION_PARAMS = {
  'm365.disableUser': none,
  'm365.enableUser': none,
  'm365.revokeSessions': none,
  'm365.confirmCompromised': none,
  'm365.commentAlert': z.strictObject({ comment: comment.optional().describe('Defaults to a line naming the playbook run and its outcome.') }),
  'm365.updateAlert': z
    .strictObject({
      status: z.enum(['new', 'inProgress', 'resolved']).optional(),
      classification: z.enum(['unknown', 'falsePositive', 'truePositive', 'informationalExpectedActivity']).optional(),
      determination: z.string().regex(/^[a-zA-Z]{1,64}$/, 'a Graph determination value such as malware or compromisedAccount').optional(),
    })
    .refine((p) => p.status !== undefined || p.classification !== undefined || p.determination !== undefined, {
      message: 'name at least one of status, classification, determination',
    }),
  'defender.findMachine': none,
  'defender.isolateDevice': z.strictObject({ isolationType: z.enum(['Full', 'Selective']).default('Full') }),
  'defender.releaseDevice': none,
  'defender.stopAndQuarantineFile': none,
  'defender.runAntivirusScan': z.strictObject({ scanType: z.enum(['Quick', 'Full']).default('Quick') }),
  'firewall.blockIp': none,
  'firewall.unblockIp': none,
} as const satisfies Record<ActionName, z.ZodType>;

export type ActionParams<A extends ActionName> = z.output<(typeof ACTION_PARAMS)[A]>;
