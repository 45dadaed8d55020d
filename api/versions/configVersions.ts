/**
 * Versioned playbooks and release matrices: an admin puts a new revision in force (validated by the engine's own
 * loaders), every revision keeps who, when, why and the digest of what it replaced, and a rollback puts an older
 * revision's content in force again as a new revision. Revision 0 is the file the engine loaded. New alerts and runs
 * take what is in force when they start, and record the revision they used.
 */
import { createHash } from 'node:crypto';
import { PlaybookLoadError } from '../../domain/playbook/playbookLoadError';
import { parsePlaybookYaml } from '../../domain/playbook/loadPlaybooks';
import type { PlaybookDefinition } from '../../domain/playbook/playbookDefinition';
import { releaseMatrixSchema, type ReleaseMatrix } from '../../domain/tenant/releaseMatrixSchema';
import type { TenantCatalog } from '../../domain/tenant/tenantCatalog';
import type { TenantPolicy } from '../../domain/tenantPolicy';
import { canonicalJson } from '../../workflows/playbook/actionDigest';
import type { StoredVersion, VersionedKind, VersionRole, VersionStore } from '../../stores/versionStore';
import { may, type Principal } from '../../domain/access/roles';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../domain/refusals';
import type { PlaybookSource } from '../playbooks/playbookRuns';

/** A revision as the API lists it: everything but the content. */
export type VersionSummary = Omit<StoredVersion, 'content'>;

export interface PlaybooksInForce {
  active: PlaybookDefinition;
  /** A shadow revision newer than the active one: it runs beside it as a dry-run. */
  shadow: PlaybookDefinition | null;
}

export class ConfigVersions {
  constructor(private readonly deps: { store: VersionStore; playbooks: PlaybookSource; tenants: TenantCatalog; now: () => Date }) {}

  /** The active revision of a playbook (the file when none is stored) and a shadow revision beside it, if any. */
  async playbookInForce(id: string): Promise<PlaybooksInForce | undefined> {
    const file = this.deps.playbooks.get(id);
    if (!file) return undefined;
    const history = await this.deps.store.history('playbook', id);
    const active = history.find((v) => v.role === 'active');
    const shadow = history[0]?.role === 'shadow' ? history[0] : undefined;
    return { active: active ? playbookOf(active) : file, shadow: shadow ? playbookOf(shadow) : null };
  }

  /** The tenant's policy with the release matrix in force now, naming its stored revision. */
  async withMatrixInForce(policy: TenantPolicy): Promise<TenantPolicy> {
    const active = (await this.deps.store.history('release-matrix', policy.id)).find((v) => v.role === 'active');
    if (!active) return policy;
    const releaseMatrix = releaseMatrixSchema.parse(JSON.parse(active.content));
    return { ...policy, response: { ...policy.response, releaseMatrix, releaseMatrixRevision: { revision: active.revision, digest: active.digest } } };
  }

  async changePlaybook(principal: Principal, id: string, change: { content: string; reason: string; shadow: boolean }): Promise<VersionSummary> {
    this.require(principal, 'changeConfig', 'change playbooks');
    this.filePlaybook(id);
    let playbook: PlaybookDefinition;
    try {
      playbook = parsePlaybookYaml(change.content, `${id}.yaml`);
    } catch (error) {
      if (error instanceof PlaybookLoadError) throw new InvalidInputError([{ field: 'content', message: error.message }]);
      throw error;
    }
    return this.append(principal, 'playbook', id, JSON.stringify(playbook), playbook.digest, change.shadow ? 'shadow' : 'active', change.reason);
  }

  async changeMatrix(principal: Principal, tenantId: string, change: { releaseMatrix: ReleaseMatrix; reason: string }): Promise<VersionSummary> {
    this.require(principal, 'changeConfig', 'change release matrices');
    this.fileMatrix(tenantId);
    return this.append(principal, 'release-matrix', tenantId, JSON.stringify(change.releaseMatrix), matrixDigest(change.releaseMatrix), 'active', change.reason);
  }

  async versions(principal: Principal, kind: VersionedKind, subject: string): Promise<VersionSummary[]> {
    this.require(principal, 'readConfigVersions', 'read versions');
    const file = this.revisionZero(kind, subject);
    return [...(await this.deps.store.history(kind, subject)), file].map(summary);
  }

  /** Puts the content of `revision` (0: the file) in force again, as a new active revision naming the one it restores. */
  async rollback(principal: Principal, kind: VersionedKind, subject: string, to: { revision: number; reason: string }): Promise<VersionSummary> {
    this.require(principal, 'changeConfig', 'roll back');
    const history = [...(await this.deps.store.history(kind, subject)), this.revisionZero(kind, subject)];
    const target = history.find((v) => v.revision === to.revision);
    if (!target) throw new NotFoundError(`${kind} ${subject} has no revision ${to.revision} (known: ${history.map((v) => v.revision).join(', ')})`);
    return this.append(principal, kind, subject, target.content, target.digest, 'active', `rollback to revision ${to.revision}: ${to.reason}`, history);
  }

  private async append(principal: Principal, kind: VersionedKind, subject: string, content: string, digest: string, role: VersionRole, note: string, known?: StoredVersion[]): Promise<VersionSummary> {
    const history = known ?? [...(await this.deps.store.history(kind, subject)), this.revisionZero(kind, subject)];
    const inForce = history.find((v) => v.role === 'active');
    const stored = await this.deps.store.append({
      kind,
      subject,
      revision: (history[0]?.revision ?? 0) + 1,
      role,
      digest,
      previousDigest: inForce?.digest ?? '',
      changedBy: `${principal.role}:${principal.keyId}`,
      changedAt: this.deps.now().toISOString(),
      note,
      content,
    });
    return summary(stored);
  }

  /** Revision 0: what the engine loaded from its files. */
  private revisionZero(kind: VersionedKind, subject: string): StoredVersion {
    const base = { kind, subject, revision: 0, role: 'active' as const, previousDigest: '', changedBy: 'file', changedAt: '', note: 'as loaded from the file' };
    if (kind === 'playbook') {
      const playbook = this.filePlaybook(subject);
      return { ...base, digest: playbook.digest, content: JSON.stringify(playbook) };
    }
    const matrix = this.fileMatrix(subject);
    return { ...base, digest: matrixDigest(matrix), content: JSON.stringify(matrix) };
  }

  private filePlaybook(id: string): PlaybookDefinition {
    const playbook = this.deps.playbooks.get(id);
    if (!playbook) throw new NotFoundError(`No predefined playbook '${id}'`);
    return playbook;
  }

  private fileMatrix(tenantId: string): ReleaseMatrix {
    const tenant = this.deps.tenants.get(tenantId);
    if (!tenant) throw new NotFoundError(`No tenant '${tenantId}'`);
    return tenant.releaseMatrix;
  }

  private require(principal: Principal, permission: 'changeConfig' | 'readConfigVersions', what: string): void {
    if (!may(principal, permission)) throw new ForbiddenError(`Role '${principal.role}' may not ${what}`);
  }
}

function playbookOf(version: StoredVersion): PlaybookDefinition {
  // Stored only after parsePlaybookYaml validated it; the revision says which one ran.
  const playbook = JSON.parse(version.content) as PlaybookDefinition;
  return { ...playbook, revision: version.revision };
}

function matrixDigest(matrix: ReleaseMatrix): string {
  return `sha256:${createHash('sha256').update(canonicalJson(matrix)).digest('hex')}`;
}

function summary(version: StoredVersion): VersionSummary {
  const { content: _content, ...rest } = version;
  return rest;
}
