/** Typed references to targets: the alert's entities, the tenant's firewalls, an earlier step's outputs (no expression language). */
import type { TargetRef } from '../../domain/playbook/playbookDefinition';
import type { ActionRecord } from '../../domain/response/playbookRun';
import type { ResolvedTarget } from '../../domain/response/targets';
import type { PlaybookRunInput } from './playbookRunInput';

/** Every target a reference yields, without repeats, in a stable order. */
export function resolveTargets(ref: TargetRef, input: PlaybookRunInput, actions: readonly ActionRecord[]): ResolvedTarget[] {
  return unique(targetsOf(ref, input, actions));
}

function targetsOf(ref: TargetRef, input: PlaybookRunInput, actions: readonly ActionRecord[]): ResolvedTarget[] {
  if ('tenant' in ref) return input.tenant.response.firewalls.map((f) => ({ kind: 'firewall', sourceId: f.sourceId, vendor: f.vendor }));
  if ('step' in ref) {
    return actions
      .filter((a) => a.stepId === ref.step && (a.state === 'done' || a.state === 'already_done' || a.state === 'undone'))
      .flatMap((a) => {
        const output = a.result?.outputs[ref.output];
        return output ? [output] : [];
      });
  }
  const { entities } = input.alert;
  switch (ref.alert) {
    case 'users':
      return entities.users.map((u) => ({ kind: 'user', upn: (u.upn ?? u.name).toLowerCase(), ...(u.azureAdObjectId ? { objectId: u.azureAdObjectId } : {}) }));
    case 'hosts':
      return entities.hosts.map((h) => ({ kind: 'host', hostname: h.hostname.toLowerCase(), ...(h.deviceId ? { machineId: h.deviceId } : {}) }));
    case 'ips':
      return entities.ips.map((ip) => ({ kind: 'ip', address: ip.address }));
    case 'files':
      return entities.files.map((f) => ({ kind: 'file', name: f.name, ...(f.sha1 ? { sha1: f.sha1.toLowerCase() } : {}), ...(f.sha256 ? { sha256: f.sha256.toLowerCase() } : {}) }));
    case 'source':
      return [{ kind: 'alert', source: input.alert.source, externalId: input.alert.externalId }];
  }
}

function unique(targets: ResolvedTarget[]): ResolvedTarget[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = identityOf(t);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function identityOf(target: ResolvedTarget): string {
  switch (target.kind) {
    case 'user':
      return `user:${target.upn}`;
    case 'host':
      return `host:${target.hostname}`;
    case 'ip':
      return `ip:${target.address}`;
    case 'file':
      return `file:${target.sha256 ?? target.sha1 ?? target.name}`;
    case 'alert':
      return `alert:${target.source}:${target.externalId}`;
    case 'firewall':
      return `firewall:${target.sourceId}`;
  }
}
