/** Reads one rule file's text: YAML with line tracking, one document, validated against the Sigma rule or correlation rule schema. */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { lineOfPath } from '../../domain/tenant/yamlLocation';
import { formatKeyPath, RuleFileError } from './ruleFileError';
import { CORRELATION_RULE_KEYS, correlationRuleSchema, type SigmaCorrelationRule } from './correlationSchema';
import { RULE_KEYS, ruleSchema, type SigmaRule } from './ruleSchema';

export interface RuleSource {
  /** Names the file in errors and matches. */
  readonly file: string;
  readonly text: string;
}

/** A detection rule, or a correlation rule (a file with a top-level `correlation` key). */
export type ParsedRule = (
  | { readonly kind: 'detection'; readonly rule: SigmaRule }
  | { readonly kind: 'correlation'; readonly rule: SigmaCorrelationRule }
) & {
  /** The line of a key path in the file. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
};

/**
 * One rule per file. Sigma rule collections (several YAML documents, `action: global`) are refused: a
 * file that holds more than one document is almost always a collection, whose merge rules we do not apply.
 */
export function parseRuleSource({ file, text }: RuleSource): ParsedRule {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const documents = Array.isArray(parsed) ? parsed : [];
  for (const doc of documents) {
    const [error] = doc.errors;
    if (error) throw new RuleFileError(file, `YAML syntax error: ${firstLine(error.message)}`, { line: lineCounter.linePos(error.pos[0]).line });
  }
  const filled = documents.filter((doc) => doc.contents !== null);
  const [doc, second] = filled;
  if (!doc) throw new RuleFileError(file, 'the file is empty; a rule file holds one Sigma rule');
  if (second) {
    throw new RuleFileError(
      file,
      `the file holds ${filled.length} YAML documents; rule collections are not supported, put each rule in its own file`,
      { line: second.range[0] === undefined ? undefined : lineCounter.linePos(second.range[0]).line },
    );
  }
  const lineOf = (path: readonly PropertyKey[]) => lineOfPath(doc, lineCounter, path);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new RuleFileError(file, `YAML cannot be read: ${error instanceof Error ? firstLine(error.message) : String(error)}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new RuleFileError(file, 'a rule file is a mapping starting with title:', { line: 1 });
  }
  const refuse = (error: z.ZodError, keys: readonly string[]): never => {
    const issue = explainIssue(error.issues[0], keys);
    throw new RuleFileError(file, issue.message, { line: lineOf(issue.path), path: formatKeyPath(issue.path) });
  };
  if (Object.hasOwn(data, 'correlation')) {
    const result = correlationRuleSchema.safeParse(data);
    return result.success ? { kind: 'correlation', rule: result.data, lineOf } : refuse(result.error, CORRELATION_RULE_KEYS);
  }
  const result = ruleSchema.safeParse(data);
  return result.success ? { kind: 'detection', rule: result.data, lineOf } : refuse(result.error, RULE_KEYS);
}

interface Explained {
  path: PropertyKey[];
  message: string;
}

/** The most specific explanation of a zod issue: unions report the branch that got furthest. */
function explainIssue(issue: z.core.$ZodIssue | undefined, keys: readonly string[]): Explained {
  if (!issue) return { path: [], message: 'invalid rule' };
  if (issue.code === 'unrecognized_keys') {
    const [key = ''] = issue.keys;
    const where = issue.path.length === 0 ? 'top-level key' : 'key';
    const allowed = issue.path.length === 0 ? ` (a Sigma ${keys === RULE_KEYS ? 'rule' : 'correlation rule'} has: ${keys.join(', ')})` : '';
    return { path: [...issue.path, key], message: `unknown ${where} '${key}'${allowed}` };
  }
  if (issue.code === 'invalid_union') {
    let best: (Explained & { score: number }) | undefined;
    for (const branch of issue.errors) {
      const [first] = branch;
      if (!first) continue;
      const explained = explainIssue(first, keys);
      // Deeper is better; at equal depth, a broken rule (refinement, size) beats a mere type mismatch.
      const score = explained.path.length * 2 + (first.code === 'invalid_type' || first.code === 'invalid_union' ? 0 : 1);
      if (!best || score > best.score) best = { ...explained, score };
    }
    if (best && best.score > 0) return { path: [...issue.path, ...best.path], message: best.message };
  }
  return { path: [...issue.path], message: issue.message };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
