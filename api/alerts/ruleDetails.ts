/**
 * What an analyst reads about a matched detection rule besides its title: the rule's description and references, read
 * from its Sigma file in the running rule set (the history records id, title and level only, to stay small).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { DetectionRules } from '../../detection/detectionRules';

export interface RuleDetails {
  description: string | null;
  references: string[];
}

/** The details of a rule of the running set by id; null for a rule the set no longer has or a file that cannot be read. */
export type RuleDetailsLookup = (ruleId: string) => RuleDetails | null;

const ruleTextSchema = z.looseObject({ description: z.string().optional(), references: z.array(z.string()).optional() });

export function ruleDetailsFrom(rulesDir: string, detection: DetectionRules): RuleDetailsLookup {
  const cache = new Map<string, RuleDetails | null>();
  return (ruleId) => {
    // Keyed by the set's version: an edited rule file (hot reload) is read again.
    const key = `${detection.version}/${ruleId}`;
    if (cache.has(key)) return cache.get(key) ?? null;
    const rule = detection.ruleSet.rules.find((r) => r.id === ruleId);
    let details: RuleDetails | null = null;
    if (rule) {
      try {
        const parsed = ruleTextSchema.safeParse(parse(readFileSync(join(rulesDir, rule.file), 'utf8')));
        if (parsed.success) details = { description: parsed.data.description?.trim() ?? null, references: parsed.data.references ?? [] };
      } catch {
        details = null; // a file removed since the set was loaded: shown without details
      }
    }
    cache.set(key, details);
    return details;
  };
}
