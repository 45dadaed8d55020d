/**
 * A proposed change as the what-if applies it: a detection rule folder, a playbook file, or a tenant file (its release
 * matrix, contacts and options). Each is validated by the loader the engine itself uses, so a change that would not
 * load is refused here with the loader's file and line, before any alert is read.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseDocument } from 'yaml';
import { createAnalysisActivities } from '../activities/analysis/analyseAlert';
import { loadDetectionRules } from '../detection/detectionRules';
import { parsePlaybookYaml } from '../domain/playbook/loadPlaybooks';
import { policyOf, type PlaybookLookup } from '../domain/tenant/tenantPolicyOf';
import type { OnCallDirectory } from '../domain/soc/onCallDirectory';
import { parseTenantYaml } from '../domain/tenant/loadTenants';
import type { AppliedChange } from './redecide';
import type { ChangeKind } from './whatIfReport';

export interface ProposedChange {
  kind: ChangeKind;
  /** The folder or file name as given. */
  name: string;
  /** `sha256:<hex>` over the file, or the rule set's version for a folder. */
  digest: string;
  applied: AppliedChange;
}

/** What a tenant file needs to become the policy an alert sees: the SOC's on-call directory and the playbooks. */
export interface PolicyContext {
  onCall: OnCallDirectory;
  playbooks: PlaybookLookup;
}

/** Thrown when a proposed change is not a valid rule folder, playbook or tenant file, or is another tenant's. */
export class ProposedChangeError extends Error {
  constructor(readonly change: string, reason: string) {
    super(`${change}: ${reason}`);
    this.name = 'ProposedChangeError';
  }
}

/** A folder is a detection rule set; a YAML file with `steps` a playbook; any other YAML file a tenant file. */
export function changeFromPath(path: string, tenantId: string, context: PolicyContext): ProposedChange {
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    throw new ProposedChangeError(path, 'no such file or folder');
  }
  if (folder) return ruleChange(path);
  const text = readFileSync(path, 'utf8');
  return isPlaybook(text) ? playbookChange(path, text) : tenantChange(path, text, tenantId, context);
}

export function ruleChange(dir: string): ProposedChange {
  const detection = loadDetectionRules(dir);
  const { analyseAlert } = createAnalysisActivities({ detection });
  return { kind: 'rules', name: dir, digest: `rules:${detection.version}`, applied: { kind: 'rules', analyse: (alert, product) => analyseAlert({ alert, product }) } };
}

export function playbookChange(name: string, text: string): ProposedChange {
  const playbook = parsePlaybookYaml(text, name);
  return { kind: 'playbook', name, digest: digestOf(text), applied: { kind: 'playbook', playbook } };
}

export function tenantChange(name: string, text: string, tenantId: string, context: PolicyContext): ProposedChange {
  const tenant = parseTenantYaml(text, name);
  if (tenant.id !== tenantId) throw new ProposedChangeError(name, `the file is tenant '${tenant.id}', not '${tenantId}'`);
  return { kind: 'tenant', name, digest: digestOf(text), applied: { kind: 'tenant', policy: policyOf(tenant, context.onCall, context.playbooks) } };
}

function isPlaybook(text: string): boolean {
  const top: unknown = parseDocument(text).toJS();
  return typeof top === 'object' && top !== null && 'steps' in top;
}

function digestOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** A file name fit for a report: the base name only (no local paths in a file a reviewer attaches). */
export function displayName(path: string): string {
  return basename(path.replace(/\/+$/, ''));
}
