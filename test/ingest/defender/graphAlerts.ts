/** Test helpers: Graph alerts built from a minimal valid one, the example files, and parse-then-map in one call. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { normalisedAlertSchema, type NormalisedAlert } from '../../../domain/alert';
import { mapDefenderAlert, parseDefenderPayload, type GraphAlert } from '../../../ingest/defender/mapDefenderAlert';

export const AZURE_TENANT = 'b3c8f0a4-5f2e-4d6b-9c1a-7e2f1d3a4b5c';
export const TARGET = { tenantId: 'mueller-logistik', source: 'defender' } as const;

/** An example file from examples/defender, parsed as the API receives it (unknown JSON). */
export function example(name: string): unknown {
  return JSON.parse(readFileSync(resolve(__dirname, '../../../examples/defender', name), 'utf8'));
}

/** A small valid Graph alert; `overrides` replace or add top-level properties. */
export function graphAlert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'da638342176938104367_1',
    tenantId: AZURE_TENANT,
    title: 'Test alert',
    description: 'A test alert',
    severity: 'medium',
    serviceSource: 'microsoftDefenderForEndpoint',
    createdDateTime: '2026-11-26T08:41:33.8104367Z',
    evidence: [],
    ...overrides,
  };
}

/** One evidence item of the given type (short name, like `ipEvidence`). */
export function evidence(type: string, properties: Record<string, unknown> = {}): Record<string, unknown> {
  return { '@odata.type': `#microsoft.graph.security.${type}`, roles: [], verdict: 'suspicious', ...properties };
}

/** Parses a body that must be valid, or fails the test with the issues. */
export function parsedAlerts(body: unknown): GraphAlert[] {
  const parsed = parseDefenderPayload(body);
  if (!parsed.ok) throw new Error(`refused: ${JSON.stringify(parsed.issues)}`);
  return parsed.alerts;
}

/** Parses, maps and validates against the normalised alert schema: what the API does for each alert. */
export function normalised(body: unknown): NormalisedAlert[] {
  return parsedAlerts(body).map((alert) => normalisedAlertSchema.parse(mapDefenderAlert(alert, TARGET)));
}

/** The one alert of a single-alert body, normalised. */
export function normalisedOne(body: unknown): NormalisedAlert {
  const [alert, ...rest] = normalised(body);
  if (!alert || rest.length > 0) throw new Error('expected exactly one alert');
  return alert;
}

/** The entities one alert with exactly these evidence items maps to. */
export function entitiesOf(...items: Record<string, unknown>[]): NormalisedAlert['entities'] {
  return normalisedOne(graphAlert({ evidence: items })).entities;
}
