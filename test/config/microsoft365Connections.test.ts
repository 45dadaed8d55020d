/** R13: a tenant that uses Microsoft 365 must have it connected: its Graph secret is available when a production worker starts. */
import { join } from 'node:path';
import { loadTenantDirectory } from '../../infra/files/tenantFiles';
import { checkMicrosoft365Connections, Microsoft365NotConnectedError } from '../../infra/microsoft365Connections';
import { createSecretResolver } from '../../infra/secrets';
import { REPO } from '../support/testEnv';

const tenants = loadTenantDirectory(join(REPO, 'config/tenants')).all();

test('R13 the start is refused naming each Microsoft 365 tenant whose Graph secret is missing, never a value', () => {
  let refused: unknown;
  try {
    checkMicrosoft365Connections(tenants, createSecretResolver({ MUELLER_GRAPH_CLIENT_SECRET: 'not-shown-anywhere' }));
  } catch (error) {
    refused = error;
  }
  expect(refused).toBeInstanceOf(Microsoft365NotConnectedError);
  const error = refused as Microsoft365NotConnectedError;
  expect(error.problems.map((p) => p.tenantId)).toEqual(['rheinwerk-maschinenbau']);
  expect(error.message).toMatch(/^R13: .*rheinwerk-maschinenbau \(Secret env:[A-Z_]+ is not available/);
  expect(error.message).not.toContain('not-shown-anywhere');
});

test('R13 with every Graph secret available the start goes on; a tenant without Microsoft 365 needs none', () => {
  const env = Object.fromEntries(tenants.flatMap((t) => (t.credentials?.graph?.secretRef.startsWith('env:') ? [[t.credentials.graph.secretRef.slice(4), 'secret']] : [])));
  expect(() => checkMicrosoft365Connections(tenants, createSecretResolver(env))).not.toThrow();
  expect(tenants.find((t) => t.id === 'nordwind-handel')?.credentials?.graph).toBeUndefined();
});
