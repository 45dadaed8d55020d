/** Correlated incidents: rule hits on events of one tenant, rule and entity within a window become one alert (shared by intake and workflow). */
import type { MatchedRule } from './alertLifecycle';

/** What makes hits one incident; part of the workflow input of an incident started from events. */
export interface CorrelationKey {
  ruleId: string;
  /** The Sigma field that names the entity (`src_ip`, `user`, ...) and its value; `source` when the event names none. */
  entity: { field: string; value: string };
  /** The window bucket, ISO 8601: hits with event times in [windowStart, windowEnd) belong together. */
  windowStart: string;
  windowEnd: string;
}

/** The correlation as an alert's status shows it. */
export interface IncidentCorrelation extends CorrelationKey {
  /** Distinct hits counted so far (a re-sent batch is not counted twice). */
  hits: number;
  firstHitAt: string | null;
  lastHitAt: string | null;
}

/**
 * One delivery of hits to an incident: the intake sums the hits of one batch (or, for syslog, of a short flush
 * interval) per incident, so a flood of events adds one signal per batch, not one per event.
 */
export interface CorrelatedHit {
  /** Digest of the events delivered: a delivery seen before (a re-sent batch) is ignored. */
  deliveryKey: string;
  hits: number;
  /** Event times of the first and last hit in this delivery. */
  firstAt: string;
  lastAt: string;
  /** The registered source the hits came from. */
  source: string;
}

/** Rules that matched the raw event(s) before the alert existed: they classify the incident with the alert-level rules (R2). */
export interface EventDetection {
  matchedRules: MatchedRule[];
  ruleSetVersion: string;
}
