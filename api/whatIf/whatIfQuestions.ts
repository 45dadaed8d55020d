/**
 * What-if questions through the API (analysts and admins): a proposed change sent as file contents, checked by the
 * engine's own loaders, then the tenant's recorded alerts of the period re-decided with it. No vendor is called.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { RuleFileError } from '../../detection/sigma/ruleFileError';
import { PlaybookLoadError } from '../../domain/playbook/playbookLoadError';
import { TenantConfigError } from '../../domain/tenant/tenantConfigError';
import type { TenantCatalog } from '../../domain/tenant/tenantCatalog';
import { playbookChange, ProposedChangeError, ruleChange, tenantChange, type PolicyContext, type ProposedChange } from '../../whatIf/proposedChange';
import { periodMs, whatIf } from '../../whatIf/runWhatIf';
import { recordedAlerts } from '../../whatIf/recordedAlerts';
import { shadowReport, type ShadowReport } from '../../whatIf/shadowReport';
import type { WhatIfReport } from '../../whatIf/whatIfReport';
import { may, type Principal } from '../../domain/access/roles';
import { ForbiddenError, InvalidInputError } from '../../domain/refusals';
import { noTenant, requireTenantInScope } from '../../domain/access/tenantScope';

export type WhatIfChange = { kind: 'rules'; files: { name: string; content: string }[] } | { kind: 'playbook'; name: string; content: string } | { kind: 'tenant'; content: string };

export class WhatIfQuestions {
  constructor(private readonly deps: { client: Client; payloadCodec: PayloadCodec; tenants: TenantCatalog; policy: PolicyContext; now: () => Date }) {}

  async ask(principal: Principal, question: { tenantId: string; since: string; change: WhatIfChange }): Promise<WhatIfReport> {
    requireTenantInScope(principal, question.tenantId); // R17 before the role
    if (!may(principal, 'askWhatIf')) throw new ForbiddenError(`Role '${principal.role}' may not ask what-if questions`);
    if (!this.deps.tenants.get(question.tenantId)) throw noTenant(question.tenantId);
    const change = this.load(question.tenantId, question.change);
    return whatIf(this.deps.client, this.deps.payloadCodec, { tenantId: question.tenantId, since: question.since, change, now: this.deps.now() });
  }

  /** A shadow playbook revision's decisions beside the active revision's on the tenant's live alerts of the period. */
  async shadowReport(principal: Principal, question: { playbookId: string; tenantId: string; since: string }): Promise<ShadowReport> {
    requireTenantInScope(principal, question.tenantId);
    if (!may(principal, 'askWhatIf')) throw new ForbiddenError(`Role '${principal.role}' may not read shadow reports`);
    if (!this.deps.tenants.get(question.tenantId)) throw noTenant(question.tenantId);
    const ms = periodMs(question.since);
    if (ms === null) throw new InvalidInputError([{ field: 'since', message: 'a period like 30d or 12h' }]);
    const alerts = await recordedAlerts(this.deps.client, this.deps.payloadCodec, { tenantId: question.tenantId, since: new Date(this.deps.now().getTime() - ms) });
    return shadowReport(question.playbookId, question.tenantId, question.since, alerts);
  }

  /** The change through the loader the engine uses; what it refuses is a 400 naming the file and line. */
  private load(tenantId: string, change: WhatIfChange): ProposedChange {
    try {
      if (change.kind === 'playbook') return playbookChange(change.name, change.content);
      if (change.kind === 'tenant') return tenantChange(`${tenantId}.yaml`, change.content, tenantId, this.deps.policy);
      return this.rules(change.files);
    } catch (error) {
      if (error instanceof RuleFileError || error instanceof PlaybookLoadError || error instanceof TenantConfigError || error instanceof ProposedChangeError) {
        throw new InvalidInputError([{ field: 'change', message: error.message }]);
      }
      throw error;
    }
  }

  /** The rule loader reads a folder: the files go to a private temporary one, removed at once. */
  private rules(files: { name: string; content: string }[]): ProposedChange {
    const dir = mkdtempSync(join(tmpdir(), 'soar-what-if-rules-'));
    try {
      for (const file of files) writeFileSync(join(dir, file.name), file.content, { mode: 0o600 });
      const change = ruleChange(dir);
      return { ...change, name: 'rules' };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
