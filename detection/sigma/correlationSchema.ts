/** The zod schema of a Sigma correlation rule file (Sigma Correlation Rules Specification 2.0.2; unknown keys are refused). */
import { z } from 'zod';
import { RULE_METADATA } from './ruleSchema';

export const CORRELATION_TYPES = ['event_count', 'value_count', 'temporal', 'temporal_ordered'] as const;
export type CorrelationType = (typeof CORRELATION_TYPES)[number];

const text = z.string().min(1, 'must not be empty');
const textList = z.array(text, { error: 'must be a list of strings' });
const count = z.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must not be negative');

/** `gte`/`gt` (the counts a stream can decide as events arrive); `lt`, `lte`, `eq` are refused in compileCorrelation with the reason. */
export const correlationConditionSchema = z.strictObject(
  { gt: count.optional(), gte: count.optional(), lt: count.optional(), lte: count.optional(), eq: count.optional(), field: text.optional() },
  { error: 'condition is a map of gt, gte, lt, lte, eq (and field for value_count)' },
);
export type CorrelationCondition = z.infer<typeof correlationConditionSchema>;

export const correlationSectionSchema = z.strictObject(
  {
    type: z.enum(CORRELATION_TYPES, { error: `type is one of ${CORRELATION_TYPES.join(', ')}` }),
    rules: z.array(text, { error: 'rules is a list of rule names or ids' }).min(1, 'rules needs at least one rule'),
    'group-by': textList.optional(),
    timespan: z.string({ error: 'timespan is required, like 15m' }).regex(/^\d+[smhdw]$/, 'timespan is a number and a unit: s, m, h, d or w (like 90m)'),
    condition: correlationConditionSchema.optional(),
    aliases: z.record(text, z.record(text, text, { error: 'an alias maps rule names to field names' }), { error: 'aliases maps alias names to { rule name: field }' }).optional(),
  },
  { error: 'correlation is a map of type, rules, group-by, timespan, condition' },
);
export type CorrelationSection = z.infer<typeof correlationSectionSchema>;

/** The shared keys (level required here too: the incident it opens is classified by it, R2), `correlation` and `generate`. */
export const correlationRuleSchema = z.strictObject({
  ...RULE_METADATA,
  correlation: correlationSectionSchema,
  generate: z.boolean({ error: 'generate is true or false' }).optional(),
});
export type SigmaCorrelationRule = z.infer<typeof correlationRuleSchema>;

export const CORRELATION_RULE_KEYS: readonly string[] = Object.keys(correlationRuleSchema.shape);
