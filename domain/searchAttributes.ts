/** The custom search attributes the engine indexes alerts by in Temporal visibility. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TENANT_ID = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const SEVERITY = defineSearchAttributeKey('Severity', SearchAttributeType.KEYWORD);
export const ALERT_STATE = defineSearchAttributeKey('AlertState', SearchAttributeType.KEYWORD);
export const ALERT_SOURCE = defineSearchAttributeKey('AlertSource', SearchAttributeType.KEYWORD);
/** When a waiting alert next wakes up (support hours, escalation steps). */
export const NEXT_WAKE_AT = defineSearchAttributeKey('NextWakeAt', SearchAttributeType.DATETIME);
export const ASSIGNED_ANALYST = defineSearchAttributeKey('AssignedAnalyst', SearchAttributeType.KEYWORD);

/** Every key the namespace must have, for server set-up. */
export const ENGINE_SEARCH_ATTRIBUTES = [TENANT_ID, SEVERITY, ALERT_STATE, ALERT_SOURCE, NEXT_WAKE_AT, ASSIGNED_ANALYST] as const;
