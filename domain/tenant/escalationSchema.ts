/** The on-call chain a critical incident escalates along when no analyst acknowledges it (R19). */
import { z } from 'zod';

export const ESCALATION_CHANNELS = ['sms', 'voice', 'email'] as const;

const escalationStepSchema = z.strictObject({
  name: z.string().min(1).max(200),
  contact: z
    .string()
    .min(1)
    .max(320)
    .describe('Who is called: an on-call target such as soc-oncall-1, an e-mail address or a phone number.'),
  channel: z.enum(ESCALATION_CHANNELS),
  timeoutMinutes: z.number().int().positive().max(24 * 60).describe('Minutes to wait for an acknowledgement before the next step.'),
});

export const escalationSchema = z
  .strictObject({
    steps: z.array(escalationStepSchema).min(1, 'an escalation chain needs at least one step'),
    finalManagementContact: z
      .string()
      .min(1)
      .describe('Name of a tenant contact with role management, mobile: true and a phone: the last step (R19).'),
  })
  .describe('Required for packages 2 and 3 (R19).');

export type Escalation = z.output<typeof escalationSchema>;
export type EscalationStep = Escalation['steps'][number];
