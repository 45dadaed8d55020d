/** Sigma levels onto the contract's four severities (R2). */
import { levelRank, SIGMA_LEVELS, severityOfSigmaLevel } from '../../domain/sigmaLevel';
import { SEVERITIES } from '../../domain/severity';

describe('Sigma levels', () => {
  test('R2 maps Sigma levels onto the four contract severities', () => {
    expect(SIGMA_LEVELS.map((level) => [level, severityOfSigmaLevel(level)])).toEqual([
      ['informational', 'low'],
      ['low', 'low'],
      ['medium', 'medium'],
      ['high', 'high'],
      ['critical', 'critical'],
    ]);
    for (const level of SIGMA_LEVELS) expect(SEVERITIES).toContain(severityOfSigmaLevel(level));
  });

  test('levels rank from informational up to critical', () => {
    expect([...SIGMA_LEVELS].sort((a, b) => levelRank(a) - levelRank(b))).toEqual(['informational', 'low', 'medium', 'high', 'critical']);
    expect(levelRank('critical')).toBeGreaterThan(levelRank('high'));
  });
});
