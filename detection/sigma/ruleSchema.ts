/** The zod schema of a Sigma detection rule file (Sigma specification 2.x top-level keys; unknown keys are refused). */
import { z } from 'zod';
import { SIGMA_LEVELS } from '../../domain/sigmaLevel';

const text = z.string().min(1, 'must not be empty');
/** Error for a required key: missing, or of the wrong kind. */
const required =
  (name: string, expected: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? `${name} is required` : `${name} must be ${expected}`;
const textList = z.array(text, { error: 'must be a list of strings' });
/** `2024-03-01`, or `2024/03/01` as older rules write it; quoted or not (YAML 1.2 keeps dates as strings). */
const ruleDate = z.string().regex(/^\d{4}[-/]\d{2}[-/]\d{2}$/, 'must be a date YYYY-MM-DD');

export const sigmaValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'a value is a string, number, boolean or null',
});
export type SigmaValue = z.infer<typeof sigmaValueSchema>;

export const fieldValueSchema = z.union([sigmaValueSchema, z.array(sigmaValueSchema)], {
  error: 'a field takes a value or a list of values (string, number, boolean or null)',
});
export type FieldValue = z.infer<typeof fieldValueSchema>;

/** `field|modifier...: value(s)`; several fields in one map are AND. */
export const fieldMapSchema = z
  .record(z.string(), fieldValueSchema, { error: 'a selection map is field: value(s)' })
  .refine((map) => Object.keys(map).length > 0, 'a selection map needs at least one field');
export type FieldMap = z.infer<typeof fieldMapSchema>;

const keywordSchema = z.union([z.string(), z.number()]);

/**
 * A selection: a map (AND of fields), a list of maps (OR of maps), or a list of keywords (OR, searched in
 * every field's values). A list holds maps only or keywords only.
 */
export const selectionSchema = z.union(
  [
    fieldMapSchema,
    z
      .array(z.union([fieldMapSchema, keywordSchema], { error: 'a list entry is a field map, or a keyword (string or number)' }))
      .min(1, 'a selection list needs at least one entry')
      .refine((items) => new Set(items.map((item) => typeof item === 'object')).size === 1, 'a selection list holds field maps or keywords, not both'),
  ],
  { error: 'a selection is a map of field: value(s), a list of such maps, or a list of keywords' },
);
export type Selection = z.infer<typeof selectionSchema>;

/** Words of the condition language, which cannot name a selection. */
export const CONDITION_KEYWORDS = ['and', 'or', 'not', 'of', 'them', 'all', 'any', 'near'] as const;
const SELECTION_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export const detectionSchema = z
  .object({
    condition: z.union([text, z.array(text).min(1)], { error: required('condition', 'a string, or a list of strings (OR)') }),
    /** Only aggregations use it, and they are not supported; refused below with that reason. */
    timeframe: z.unknown().optional(),
  }, { error: required('detection', 'a map of selections and condition') })
  .catchall(selectionSchema)
  .superRefine((detection, ctx) => {
    if (detection.timeframe !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['timeframe'], message: 'timeframe belongs to Sigma 1 aggregations, which are not supported: write a correlation rule (correlation: type, rules, group-by, timespan, condition)' });
    }
    const names = Object.keys(detection).filter((key) => key !== 'condition' && key !== 'timeframe');
    if (names.length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'detection needs at least one selection besides condition' });
    for (const name of names) {
      if (!SELECTION_NAME.test(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `'${name}' is not a valid selection name (letters, digits, _ . -; starting with a letter or _)` });
      } else if ((CONDITION_KEYWORDS as readonly string[]).includes(name.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path: [name], message: `'${name}' is a condition keyword and cannot name a selection` });
      }
    }
  });
export type SigmaDetection = z.infer<typeof detectionSchema>;

export const logsourceSchema = z
  .strictObject({
    product: text.optional(),
    category: text.optional(),
    service: text.optional(),
    definition: z.string().optional(),
  }, { error: required('logsource', 'a map of product, category, service') })
  .refine((l) => l.product !== undefined || l.category !== undefined || l.service !== undefined, 'logsource needs at least one of product, category, service');

export const RULE_STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;
export const RELATION_TYPES = ['derived', 'obsolete', 'obsoletes', 'merged', 'renamed', 'similar'] as const;

/** The keys a detection rule and a correlation rule share. */
export const RULE_METADATA = {
  title: z.string({ error: required('title', 'a string') }).min(1, 'title must not be empty').max(256),
  /** Optional in Sigma, required here: matches are recorded by rule id, and ids must be unique. */
  id: z.guid({ error: required('id', 'a UUID') }),
  name: text.optional(),
  status: z.enum(RULE_STATUSES).optional(),
  description: z.string().optional(),
  license: z.string().optional(),
  author: z.string().optional(),
  references: textList.optional(),
  date: ruleDate.optional(),
  modified: ruleDate.optional(),
  tags: z.array(z.string().regex(/^[a-z0-9_-]+\.[a-z0-9_.-]+$/i, 'a tag is namespace.value, e.g. attack.t1003.001')).optional(),
  falsepositives: z.union([z.string(), textList], { error: 'falsepositives is a string or a list of strings' }).optional(),
  level: z.enum(SIGMA_LEVELS, { error: required('level', `one of ${SIGMA_LEVELS.join(', ')}`) }),
  related: z.array(z.strictObject({ id: z.guid('must be a UUID'), type: z.enum(RELATION_TYPES) })).optional(),
};

export const ruleSchema = z.strictObject({
  ...RULE_METADATA,
  logsource: logsourceSchema,
  detection: detectionSchema,
  fields: textList.optional(),
  scope: textList.optional(),
  taxonomy: text.optional(),
  /** SigmaHQ repository keys: where the rule's regression test data lies, and how to simulate it (Atomic Red Team). */
  regression_tests_path: text.optional(),
  simulation: z.array(z.record(z.string(), z.unknown()), { error: 'simulation is a list of maps' }).optional(),
});
export type SigmaRule = z.infer<typeof ruleSchema>;

/** The top-level keys a rule may have, for refusal messages. */
export const RULE_KEYS: readonly string[] = Object.keys(ruleSchema.shape);
