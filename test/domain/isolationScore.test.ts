/** R11: the isolation score is transparent, deterministic and only isolates a host when a threat is clearly recognised. */
import { assessIsolation, ISOLATION_MODEL, type IsolationEvidence } from '../../domain/response/isolationScore';

const ransomware: IsolationEvidence = {
  severity: 'critical',
  vendorSeverity: 'high',
  vendorVerdict: 'truePositive',
  detectionSource: 'antivirus',
  techniques: ['T1486', 'T1490'],
  matchedRuleLevels: ['high', 'critical'],
  corroboratingAlerts: 2,
  hosts: 1,
};

const weak: IsolationEvidence = { severity: 'medium', techniques: [], matchedRuleLevels: ['medium'], corroboratingAlerts: 0, hosts: 1 };

describe('isolation score', () => {
  test('R11 a clearly recognised ransomware threat reaches a high threshold and isolates', () => {
    const assessment = assessIsolation(ransomware, 0.9);
    expect(assessment.confidence).toBeGreaterThanOrEqual(0.95);
    expect(assessment.isolate).toBe(true);
    expect(assessment.model).toBe(ISOLATION_MODEL);
  });

  test('R11 every factor and its contribution is in the reasons', () => {
    const { reasons } = assessIsolation(ransomware, 0.9);
    expect(reasons).toEqual([
      'base rate: -3.00',
      'severity critical: +1.50',
      'vendor severity high: +0.40',
      'vendor verdict truePositive (threat confirmed): +2.00',
      'detected by antivirus (endpoint protection): +0.80',
      'ransomware or credential-theft technique T1486, T1490: +1.50',
      'a critical detection rule matched: +1.00',
      '2 other alerts on the same host in 24 h: +1.00',
      'confidence 0.99 = logistic(+5.20), threshold 0.9',
      '0.99 >= 0.9: isolate the host',
    ]);
  });

  test('R11 a weak signal stays below the threshold and does not isolate', () => {
    const assessment = assessIsolation(weak, 0.8);
    expect(assessment.confidence).toBe(0.05);
    expect(assessment.isolate).toBe(false);
    expect(assessment.reasons.at(-1)).toBe('0.05 < 0.8: no automatic isolation');
  });

  test('R11 without a host nothing is isolated, whatever the confidence', () => {
    const assessment = assessIsolation({ ...ransomware, hosts: 0 }, 0.5);
    expect(assessment.confidence).toBe(0.99);
    expect(assessment.isolate).toBe(false);
    expect(assessment.reasons).toContain('no host in the alert: nothing to isolate');
  });

  test('R11 a vendor verdict of benign pulls the score down hard', () => {
    expect(assessIsolation({ ...ransomware, vendorVerdict: 'falsePositive' }, 0.9)).toMatchObject({ isolate: false });
  });

  test('R11 credential dumping sub-techniques count; corroboration is capped', () => {
    const dump = assessIsolation({ ...weak, techniques: ['t1003.001'] }, 0.9);
    expect(dump.reasons).toContain('ransomware or credential-theft technique T1003.001: +1.50');
    const many = assessIsolation({ ...weak, corroboratingAlerts: 10 }, 0.9);
    expect(many.reasons).toContain('10 other alerts on the same host in 24 h: +1.50');
  });

  test('R11 the confidence is in [0, 1], rounded to two decimals, and the same evidence always gives the same answer', () => {
    const first = assessIsolation(ransomware, 0.9);
    expect(assessIsolation(ransomware, 0.9)).toEqual(first);
    for (const evidence of [ransomware, weak, { ...weak, severity: 'low' as const, vendorVerdict: 'notMalicious' }]) {
      const { confidence } = assessIsolation(evidence, 0.5);
      expect(confidence).toBeGreaterThanOrEqual(0);
      expect(confidence).toBeLessThanOrEqual(1);
      expect(Math.round(confidence * 100) / 100).toBe(confidence);
    }
  });

  test('R11 the threshold is inclusive', () => {
    const { confidence } = assessIsolation(ransomware, 0);
    expect(assessIsolation(ransomware, confidence).isolate).toBe(true);
  });
});
