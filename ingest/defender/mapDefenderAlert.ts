/** Maps a Microsoft Graph security alert (alerts_v2) onto the engine's normalised alert; the whole alert stays as `raw`. */
import { createHash } from 'node:crypto';
import type { NormalisedAlertInput } from '../../domain/alert';
import type { VendorSeverity } from '../../domain/severity';
import { AlertEntityCollector } from './alertEntityCollector';
import { LIMITS } from './entityLimits';
import { parseKnownEvidence } from './evidence';
import { addEvidenceEntities } from './evidenceEntities';
import type { GraphAlert, GraphSeverity } from './graphAlertSchema';
import { clip, textOf } from './vendorText';

export { azureTenantIdOf, parseDefenderPayload, type DefenderPayload, type GraphAlert, type PayloadIssue } from './parseDefenderPayload';

/** Whose alert it is, resolved by the API (R1) before mapping. */
export interface DefenderTarget {
  tenantId: string;
  source: string;
}

/** Thrown when an alert carries neither firstActivityDateTime nor createdDateTime (the schema refuses such alerts first). */
export class MissingAlertTimeError extends Error {
  constructor(readonly alertId: string) {
    super(`Graph alert '${alertId}' has neither firstActivityDateTime nor createdDateTime`);
  }
}

/** .NET's DateTimeOffset.MinValue, which Microsoft APIs send for "not set". */
const UNSET_TIME = /^0001-01-01T/;

/** firstActivityDateTime, else createdDateTime, as an ISO string in UTC with milliseconds (Graph's 7 fractional digits cut to 3). */
export function observedAtOf(alert: Pick<GraphAlert, 'id' | 'firstActivityDateTime' | 'createdDateTime'>): string {
  const candidates = [alert.firstActivityDateTime, alert.createdDateTime].filter((time) => typeof time === 'string');
  const chosen = candidates.find((time) => !UNSET_TIME.test(time)) ?? candidates[0];
  if (chosen === undefined) throw new MissingAlertTimeError(alert.id);
  const date = new Date(chosen);
  return Number.isNaN(date.getTime()) ? chosen : date.toISOString();
}

/** `unknownFutureValue` means Graph has a severity this client does not know: it says no more than `unknown`. */
export function vendorSeverityOf(severity: GraphSeverity | null | undefined): VendorSeverity | undefined {
  if (severity === null || severity === undefined) return undefined;
  return severity === 'unknownFutureValue' ? 'unknown' : severity;
}

const TECHNIQUE = /^T\d{4}(\.\d{3})?$/;
const MAX_TECHNIQUES = 100;

/** MITRE ATT&CK technique ids only (Graph also lists tactics and free text at times), without repeats. */
export function techniquesOf(mitreTechniques: GraphAlert['mitreTechniques']): string[] {
  const ids = (mitreTechniques ?? []).filter((id): id is string => typeof id === 'string' && TECHNIQUE.test(id));
  return [...new Set(ids)].slice(0, MAX_TECHNIQUES);
}

/** The alert id as is; an id over the limit keeps its start plus a hash of the whole, so two long ids never collide. */
export function externalIdOf(id: string): string {
  if (id.length <= LIMITS.externalId) return id;
  const digest = createHash('sha256').update(id, 'utf8').digest('hex');
  return `${clip(id, LIMITS.externalId - digest.length - 8)}#sha256:${digest}`;
}

/** Graph's title; when it is missing, the threat's name, the category, or a generic title naming the alert id. */
function titleOf(alert: GraphAlert): string {
  return (
    textOf(alert.title, LIMITS.title) ??
    textOf(alert.threatDisplayName, LIMITS.title) ??
    textOf(alert.category, LIMITS.title) ??
    clip(`Microsoft Graph security alert ${alert.id}`, LIMITS.title)
  );
}

export function mapDefenderAlert(alert: GraphAlert, target: DefenderTarget): NormalisedAlertInput {
  const entities = new AlertEntityCollector();
  for (const item of alert.evidence ?? []) {
    const known = parseKnownEvidence(item);
    if (known?.success) addEvidenceEntities(known.data, entities);
  }
  return {
    tenantId: target.tenantId,
    source: target.source,
    externalId: externalIdOf(alert.id),
    title: titleOf(alert),
    description: clip(alert.description ?? '', LIMITS.description),
    observedAt: observedAtOf(alert),
    vendorSeverity: vendorSeverityOf(alert.severity),
    techniques: techniquesOf(alert.mitreTechniques),
    entities: entities.entities(),
    raw: alert,
  };
}
