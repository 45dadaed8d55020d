/**
 * The response activities (vendor adapters), one per action in the catalogue (`ACTIONS[*].activity`), and the
 * target lookup the release-matrix check needs (R8). Vendor clients are made per tenant on first use and kept in
 * this object (never at module level). Without `ResponseDeps` every activity fails IntegrationNotConfigured.
 */
import type { ResponseActivities } from '../../domain/response/actionContract';
import { createDefenderApi, type DefenderApi } from './defender/defenderApi';
import { createDefenderActivities, findMachine } from './defender/defenderActivities';
import { refused } from './failures';
import { createFirewallActivities } from './firewall/firewallActivities';
import { createGraphActivities, userFacts, vendorAlertFacts } from './graph/graphActivities';
import { createGraphSession, type GraphSession } from './graph/graphSession';
import type { ResponseDeps } from './tenantAccess';
import { ApplicationFailure } from '@temporalio/common';

export type { ResponseDeps, VendorEndpoints } from './tenantAccess';

export type { ResponseActivities } from '../../domain/response/actionContract';

export function createResponseActivities(deps?: ResponseDeps): ResponseActivities {
  if (!deps) return notConfigured();
  const graphSessions = new Map<string, GraphSession>();
  const defenderApis = new Map<string, DefenderApi>();
  const graphFor = (tenantId: string) => cached(graphSessions, tenantId, () => createGraphSession(deps, tenantId));
  const defenderFor = (tenantId: string) => cached(defenderApis, tenantId, () => createDefenderApi(deps, tenantId));

  return {
    ...createGraphActivities(graphFor),
    ...createDefenderActivities(defenderFor, deps.machineActionPollMs),
    ...createFirewallActivities(deps),

    async lookUpTarget({ tenantId, target }) {
      if (target.kind === 'user') {
        try {
          const { user, groups } = await userFacts(graphFor(tenantId), target);
          const aliases = [...(user.mail ? [user.mail] : []), ...(user.proxyAddresses ?? [])];
          return { target: { ...target, objectId: user.id }, groups, found: true, identity: { name: user.userPrincipalName ?? null, aliases } };
        } catch (error) {
          if (isNotFound(error)) return { target, groups: [], found: false };
          throw error;
        }
      }
      if (target.kind === 'host') {
        const machine = await findMachine(defenderFor(tenantId), target);
        if (!machine) return { target, groups: [], found: false };
        const groups = [...(machine.machineTags ?? []), ...(machine.rbacGroupName ? [machine.rbacGroupName] : [])];
        return { target: { ...target, machineId: machine.id }, groups, found: true, identity: { name: machine.computerDnsName ?? null, aliases: [] } };
      }
      return { target, groups: [], found: true };
    },

    async fetchVendorAlert({ tenantId, externalId }) {
      try {
        return await vendorAlertFacts(graphFor(tenantId), externalId);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
  };
}

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

function isNotFound(error: unknown): boolean {
  return error instanceof ApplicationFailure && error.type === 'TargetNotFound';
}

function notConfigured(): ResponseActivities {
  const fail = (name: string) => async (): Promise<never> => {
    throw refused('IntegrationNotConfigured', `${name}: this worker has no response integrations configured (ResponseDeps: tenants, secrets, vendor endpoints)`);
  };
  return {
    m365DisableUser: fail('m365DisableUser'),
    m365EnableUser: fail('m365EnableUser'),
    m365RevokeSessions: fail('m365RevokeSessions'),
    m365ConfirmCompromised: fail('m365ConfirmCompromised'),
    m365CommentAlert: fail('m365CommentAlert'),
    m365UpdateAlert: fail('m365UpdateAlert'),
    defenderFindMachine: fail('defenderFindMachine'),
    defenderIsolateDevice: fail('defenderIsolateDevice'),
    defenderReleaseDevice: fail('defenderReleaseDevice'),
    defenderStopAndQuarantineFile: fail('defenderStopAndQuarantineFile'),
    defenderRunAntivirusScan: fail('defenderRunAntivirusScan'),
    firewallBlockIp: fail('firewallBlockIp'),
    firewallUnblockIp: fail('firewallUnblockIp'),
    lookUpTarget: fail('lookUpTarget'),
    fetchVendorAlert: fail('fetchVendorAlert'),
  };
}
