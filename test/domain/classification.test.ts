/** Classification into the contract's four severities (R2), as pure code. */
import { classifyAlert, DEFAULT_SEVERITY } from '../../domain/classification';
import { SEVERITIES } from '../../domain/severity';
import type { MatchedRule } from '../../domain/alertLifecycle';

const rule = (level: MatchedRule['level'], ruleId = `r-${level}`): MatchedRule => ({ ruleId, title: `Rule ${level}`, level });

describe('classifyAlert', () => {
  test('R2 every combination of rules and vendor severity yields one of the four severities', () => {
    const levels: MatchedRule['level'][] = ['informational', 'low', 'medium', 'high', 'critical'];
    const vendors = [undefined, 'unknown', 'informational', 'low', 'medium', 'high', 'critical'] as const;
    for (const vendorSeverity of vendors) {
      for (const level of [undefined, ...levels]) {
        const result = classifyAlert({ matchedRules: level ? [rule(level)] : [], vendorSeverity, ruleSetVersion: 'v' });
        expect(SEVERITIES).toContain(result.severity);
      }
    }
  });

  test('R2 the most severe matching rule decides, whatever order the rules come in', () => {
    const result = classifyAlert({ matchedRules: [rule('low'), rule('critical'), rule('high')], vendorSeverity: 'low', ruleSetVersion: 'v' });
    expect(result.severity).toBe('critical');
    expect(result.decidedBy).toEqual({ kind: 'rule', ruleId: 'r-critical', ruleTitle: 'Rule critical' });
  });

  test('R2 a Sigma informational rule maps to low', () => {
    expect(classifyAlert({ matchedRules: [rule('informational')], vendorSeverity: 'high', ruleSetVersion: 'v' }).severity).toBe('low');
  });

  test('R2 rules outrank the vendor, which is only the fallback', () => {
    const result = classifyAlert({ matchedRules: [rule('medium')], vendorSeverity: 'critical', ruleSetVersion: 'v' });
    expect(result.severity).toBe('medium');
    expect(classifyAlert({ matchedRules: [], vendorSeverity: 'critical', ruleSetVersion: 'v' }).decidedBy).toEqual({
      kind: 'vendor',
      vendorSeverity: 'critical',
    });
  });

  test('R2 an unknown vendor severity decides nothing: the default applies', () => {
    const result = classifyAlert({ matchedRules: [], vendorSeverity: 'unknown', ruleSetVersion: 'v' });
    expect(result.severity).toBe(DEFAULT_SEVERITY);
    expect(result.decidedBy.kind).toBe('default');
  });
});
