/**
 * R11 AI-assisted endpoint isolation: how confident the engine is that a threat on the alert's hosts is clearly
 * recognised. The score is an aid, no guarantee (R11): a transparent logistic score over documented weights, not a
 * trained model; every factor and its contribution is recorded with the decision (R18). Pure and deterministic, it
 * runs inside the alert workflow and replays to the same answer.
 */
import type { Severity, VendorSeverity } from '../severity';

/** Recorded with every assessment; bump it whenever a weight or factor changes. */
export const ISOLATION_MODEL = 'isolation-score/1';

export const RULE_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

export interface IsolationEvidence {
  /** The SOC's severity of the alert (R2). */
  severity: Severity;
  /** The severity the vendor gave, when it gave one. */
  vendorSeverity?: VendorSeverity;
  /** The vendor's verdict: a Defender classification (truePositive, falsePositive, ...) or determination (malware, apt, ...). */
  vendorVerdict?: string;
  /** What detected it: antivirus, microsoftDefenderForEndpoint, customDetection, ... (Defender's detectionSource). */
  detectionSource?: string;
  /** MITRE ATT&CK technique ids, like T1486 or T1003.001. */
  techniques: string[];
  /** Levels of the Sigma rules that matched the alert. */
  matchedRuleLevels: RuleLevel[];
  /** Other alerts of the same tenant on the same host in the last 24 hours. */
  corroboratingAlerts: number;
  /** Hosts the alert names: the endpoints that would be isolated. */
  hosts: number;
}

export interface IsolationAssessment {
  /** 0..1, rounded to two decimals. */
  confidence: number;
  /** confidence >= threshold and at least one host to isolate. */
  isolate: boolean;
  /** Each factor with its contribution to the log-odds, then the result: for the timeline and the auditor. */
  reasons: string[];
  model: string;
}

/**
 * The weights, in log-odds. The base makes a bare alert unlikely (about 5 %); only several strong signals together
 * reach the thresholds tenants book (typically 0.8-0.95). A vendor verdict that says benign pulls hard the other way.
 */
export const ISOLATION_WEIGHTS = {
  base: -3,
  severity: { low: -1, medium: 0, high: 0.8, critical: 1.5 } satisfies Record<Severity, number>,
  vendorSeverityHighOrCritical: 0.4,
  verdictMalicious: 2,
  verdictBenign: -4,
  detectionSourceEndpoint: 0.8,
  detectionSourceCustom: 0.3,
  /** Ransomware and credential theft: T1486 encrypt for impact, T1490 inhibit recovery, T1003 credential dumping. */
  techniqueHighImpact: 1.5,
  /** Spreading and hiding on the host: lateral movement and process injection. */
  techniqueSpreading: 0.5,
  ruleLevel: { informational: 0, low: 0, medium: 0, high: 0.5, critical: 1 } satisfies Record<RuleLevel, number>,
  corroboratingAlertEach: 0.5,
  corroboratingAlertMax: 1.5,
} as const;

/** Defender classifications and determinations that say the threat is real, and those that say it is not (lower case). */
const MALICIOUS_VERDICTS = new Set(['truepositive', 'malware', 'apt', 'multistagedattack', 'compromisedaccount', 'malicioususeractivity', 'phishing', 'ransomware']);
const BENIGN_VERDICTS = new Set([
  'falsepositive',
  'informationalexpectedactivity',
  'notmalicious',
  'securitytesting',
  'securitypersonnel',
  'confirmeduseractivity',
  'lineofbusinessapplication',
]);
/** Detection by the endpoint protection itself, which has seen the file or process on the host. */
const ENDPOINT_SOURCES = new Set(['antivirus', 'microsoftdefenderforendpoint', 'automatedinvestigation', 'microsoftthreatexperts', 'edr']);
const CUSTOM_SOURCES = new Set(['customdetection', 'customti']);
const HIGH_IMPACT_TECHNIQUES = ['T1486', 'T1490', 'T1003'];
const SPREADING_TECHNIQUES = ['T1021', 'T1570', 'T1055'];

export function assessIsolation(evidence: IsolationEvidence, threshold: number): IsolationAssessment {
  const w = ISOLATION_WEIGHTS;
  const factors: { what: string; weight: number }[] = [{ what: 'base rate', weight: w.base }];
  const add = (what: string, weight: number) => {
    if (weight !== 0) factors.push({ what, weight });
  };

  add(`severity ${evidence.severity}`, w.severity[evidence.severity]);
  if (evidence.vendorSeverity === 'high' || evidence.vendorSeverity === 'critical') add(`vendor severity ${evidence.vendorSeverity}`, w.vendorSeverityHighOrCritical);

  const verdict = evidence.vendorVerdict?.toLowerCase();
  if (verdict !== undefined && MALICIOUS_VERDICTS.has(verdict)) add(`vendor verdict ${evidence.vendorVerdict} (threat confirmed)`, w.verdictMalicious);
  if (verdict !== undefined && BENIGN_VERDICTS.has(verdict)) add(`vendor verdict ${evidence.vendorVerdict} (not a threat)`, w.verdictBenign);

  const source = evidence.detectionSource?.toLowerCase();
  if (source !== undefined && ENDPOINT_SOURCES.has(source)) add(`detected by ${evidence.detectionSource} (endpoint protection)`, w.detectionSourceEndpoint);
  if (source !== undefined && CUSTOM_SOURCES.has(source)) add(`detected by ${evidence.detectionSource}`, w.detectionSourceCustom);

  const techniques = [...new Set(evidence.techniques.map((t) => t.trim().toUpperCase()))].sort();
  const highImpact = techniques.filter((t) => HIGH_IMPACT_TECHNIQUES.some((base) => t === base || t.startsWith(`${base}.`)));
  if (highImpact.length > 0) add(`ransomware or credential-theft technique ${highImpact.join(', ')}`, w.techniqueHighImpact);
  const spreading = techniques.filter((t) => SPREADING_TECHNIQUES.some((base) => t === base || t.startsWith(`${base}.`)));
  if (spreading.length > 0) add(`lateral movement or injection technique ${spreading.join(', ')}`, w.techniqueSpreading);

  const topLevel = evidence.matchedRuleLevels.reduce<RuleLevel | undefined>(
    (top, level) => (top === undefined || RULE_LEVELS.indexOf(level) > RULE_LEVELS.indexOf(top) ? level : top),
    undefined,
  );
  if (topLevel !== undefined) add(`a ${topLevel} detection rule matched`, w.ruleLevel[topLevel]);

  const corroborating = Math.max(0, Math.floor(evidence.corroboratingAlerts));
  if (corroborating > 0) {
    add(`${corroborating} other ${corroborating === 1 ? 'alert' : 'alerts'} on the same host in 24 h`, Math.min(w.corroboratingAlertMax, corroborating * w.corroboratingAlertEach));
  }

  const logOdds = factors.reduce((sum, f) => sum + f.weight, 0);
  const confidence = Math.round(100 / (1 + Math.exp(-logOdds))) / 100;
  const hasHost = evidence.hosts > 0;
  const isolate = hasHost && confidence >= threshold;
  const reasons = factors.map((f) => `${f.what}: ${signed(f.weight)}`);
  reasons.push(`confidence ${confidence} = logistic(${signed(logOdds)}), threshold ${threshold}`);
  if (!hasHost) reasons.push('no host in the alert: nothing to isolate');
  else reasons.push(isolate ? `${confidence} >= ${threshold}: isolate ${evidence.hosts === 1 ? 'the host' : `the ${evidence.hosts} hosts`}` : `${confidence} < ${threshold}: no automatic isolation`);
  return { confidence, isolate, reasons, model: ISOLATION_MODEL };
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
}
