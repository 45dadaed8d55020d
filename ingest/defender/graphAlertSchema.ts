/** Zod schemas for a Microsoft Graph security alert (alerts_v2) and the `{ value: [...] }` page Graph lists them in. */
import { z } from 'zod';
import { graphEvidenceSchema } from './evidence';
import { withoutNul } from './vendorText';

/** Graph's alertSeverity; `unknownFutureValue` stands in for values added after this client was written. */
export const GRAPH_SEVERITIES = ['unknown', 'informational', 'low', 'medium', 'high', 'unknownFutureValue'] as const;
export type GraphSeverity = (typeof GRAPH_SEVERITIES)[number];

/**
 * Determination values in Graph's two documented sets (the reference page and the metadata disagree on a few names).
 * For reading only: `determination` accepts any string, since analysts' portals gain values before the docs do.
 */
export const KNOWN_DETERMINATIONS = [
  'unknown', 'apt', 'malware', 'securityPersonnel', 'securityTesting', 'unwantedSoftware', 'other', 'multiStagedAttack',
  'compromisedAccount', 'compromisedUser', 'phishing', 'maliciousUserActivity', 'notMalicious', 'clean',
  'notEnoughDataToValidate', 'insufficientData', 'confirmedActivity', 'confirmedUserActivity', 'lineOfBusinessApplication',
  'unknownFutureValue',
] as const;

/** Graph's DateTimeOffset: ISO 8601 with Z or an offset, any number of fractional digits (7 is usual: `.4813587Z`). */
const timestamp = z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time with Z or an offset' }).nullish();
const text = z.string().nullish();

/** Unknown properties pass through untouched (Graph adds fields over time) and the output keeps them, so it can be `raw`. */
const graphAlertObjectSchema = z
  .looseObject({
    id: z.string().min(1, 'the alert id is required'),
    providerAlertId: text,
    incidentId: text,
    status: text,
    severity: z.enum(GRAPH_SEVERITIES).nullish(),
    classification: text,
    determination: text,
    serviceSource: text,
    detectionSource: text,
    detectorId: text,
    /** The Azure (Entra ID) tenant the alert comes from: what R1 compares with the tenant's connected Microsoft 365 tenant. */
    tenantId: z.guid('the Azure (Entra ID) tenant id, a GUID: needed to check the alert comes from an approved source (R1)'),
    title: text,
    description: text,
    recommendedActions: text,
    category: text,
    mitreTechniques: z.array(z.string().nullable()).nullish(),
    createdDateTime: timestamp,
    lastUpdateDateTime: timestamp,
    firstActivityDateTime: timestamp,
    lastActivityDateTime: timestamp,
    alertWebUrl: text,
    incidentWebUrl: text,
    actorDisplayName: text,
    threatDisplayName: text,
    threatFamilyName: text,
    evidence: z.array(graphEvidenceSchema).nullish(),
  })
  .superRefine((alert, ctx) => {
    if (!alert.firstActivityDateTime && !alert.createdDateTime) {
      ctx.addIssue({ code: 'custom', path: ['createdDateTime'], message: 'createdDateTime or firstActivityDateTime is required: the alert needs a time' });
    }
  });

/** One Graph alert; NUL characters are removed from every string first (they break storage downstream). */
export const graphAlertSchema = z.preprocess(withoutNul, graphAlertObjectSchema);
export type GraphAlert = z.output<typeof graphAlertSchema>;

export const MAX_ALERTS_PER_PAGE = 500;

/** A page as `GET /security/alerts_v2` returns it: `value` plus `@odata.context`, `@odata.nextLink` and the like, which are ignored. */
export const graphAlertPageSchema = z.looseObject({
  value: z
    .array(graphAlertSchema)
    .min(1, 'the value list is empty: nothing to accept')
    .max(MAX_ALERTS_PER_PAGE, `at most ${MAX_ALERTS_PER_PAGE} alerts per request`),
});
