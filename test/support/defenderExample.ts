/** Microsoft's documented alerts_v2 example (Graph "Get alert"), posted for mueller-logistik to POST /v1/alerts/defender. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { REPO } from './testEnv';

/** mueller-logistik's connected Azure tenant (config/tenants/mueller-logistik.yaml), so R1 lets the example in. */
export const MUELLER_AZURE_TENANT = 'b3c8f0a4-5f2e-4d6b-9c1a-7e2f1d3a4b5c';

export const documentedDefenderAlert = () => JSON.parse(readFileSync(join(REPO, 'examples/defender/graph-docs-get-alert.json'), 'utf8')) as Record<string, unknown>;

/** Posts the example under a fresh id with the ingest key; returns the engine's alert id. */
export async function postDocumentedDefenderAlert(app: Express, ingestKey: string, suffix: string): Promise<string> {
  const alert = { ...documentedDefenderAlert(), id: `da637578995287051192_756343937-${suffix}`, tenantId: MUELLER_AZURE_TENANT };
  const response = await request(app).post('/v1/alerts/defender').set('Authorization', `Bearer ${ingestKey}`).set('Content-Type', 'application/json').send(JSON.stringify(alert));
  if (response.status !== 202) throw new Error(`the documented example was refused: ${response.status} ${response.text}`);
  return String(response.body.alertId);
}
