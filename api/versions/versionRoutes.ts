/** Versions of playbooks and release matrices: put a revision in force (admins), list them, roll back (admins). */
import { type Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { principalOf } from '../auth/authenticate';
import { scopedRouter } from '../auth/tenantScopeGuard';
import type { Principal } from '../../domain/access/roles';
import { requireJson } from '../http/requireJson';
import { parseOrRefuse } from '../http/validate';
import { matrixChangeSchema, playbookChangeSchema, rollbackSchema } from './versionSchemas';
import type { ConfigVersions, VersionSummary } from './configVersions';
import type { VersionedKind } from '../../stores/versionStore';

export function versionRoutes(deps: { versions: ConfigVersions }): Router {
  const router = scopedRouter();
  const { versions } = deps;
  versioned(router, versions, { path: '/v1/playbooks/:subject', subject: 'subject', kind: 'playbook', schema: playbookChangeSchema, change: (p, id, body) => versions.changePlaybook(p, id, body) });
  versioned(router, versions, { path: '/v1/tenants/:tenantId/release-matrix', subject: 'tenantId', kind: 'release-matrix', schema: matrixChangeSchema, change: (p, id, body) => versions.changeMatrix(p, id, body) });
  return router;
}

/** PUT `path` (a new revision), GET `path/versions`, POST `path/rollback` for one kind of versioned definition; a tenant's is `:tenantId` (the tenant-scope guard's parameter). */
function versioned<S extends z.ZodType>(
  router: Router,
  versions: ConfigVersions,
  route: { path: string; subject: 'subject' | 'tenantId'; kind: VersionedKind; schema: S; change: (principal: Principal, subject: string, body: z.output<S>) => Promise<VersionSummary> },
): void {
  const subject = (request: Request): string => String(request.params[route.subject]);
  const principal = (response: Response): Principal => principalOf(response);
  router.put(route.path, requireJson, async (request, response) => {
    response.status(201).json(await route.change(principal(response), subject(request), parseOrRefuse(route.schema, request.body)));
  });
  router.get(`${route.path}/versions`, async (request, response) => {
    response.json({ items: await versions.versions(principal(response), route.kind, subject(request)) });
  });
  router.post(`${route.path}/rollback`, requireJson, async (request, response) => {
    response.status(201).json(await versions.rollback(principal(response), route.kind, subject(request), parseOrRefuse(rollbackSchema, request.body)));
  });
}
