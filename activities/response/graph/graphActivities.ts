/** The Microsoft 365 measures through Microsoft Graph: disable/enable an account, revoke sessions, confirm compromise, alert bookkeeping. */
import { z } from 'zod';
import type { ActionRequest, ActionResult, VendorAlertFacts } from '../../../domain/response/actionContract';
import { ACTION_PARAMS } from '../../../domain/response/actionSchemas';
import type { AlertTarget, UserTarget } from '../../../domain/response/targets';
import { refused } from '../failures';
import { targetOfKind } from '../requestTargets';
import type { GraphSession } from './graphSession';

const graphUserSchema = z.object({
  id: z.string().min(1),
  accountEnabled: z.boolean().nullable().optional(),
  userPrincipalName: z.string().nullable().optional(),
  mail: z.string().nullable().optional(),
  proxyAddresses: z.array(z.string()).nullable().optional(),
});
type GraphUser = z.output<typeof graphUserSchema>;
const groupPageSchema = z.object({
  value: z.array(z.object({ displayName: z.string().nullable().optional() })),
  '@odata.nextLink': z.string().optional(),
});
const noContent = z.unknown();
const revokeSchema = z.union([z.undefined(), z.object({ value: z.boolean() })]);
const alertSchema = z.object({ id: z.string() });
const optionalText = z.string().nullable().optional();
const alertFactsSchema = z.object({
  id: z.string(),
  severity: optionalText,
  determination: optionalText,
  classification: optionalText,
  detectionSource: optionalText,
  mitreTechniques: z.array(z.string()).nullable().optional(),
  evidence: z.array(z.object({ '@odata.type': optionalText, deviceDnsName: optionalText })).nullable().optional(),
});

/** Graph answers 204 with no body; the client hands back undefined (or an empty object for some paths). */
const done = (detail: string, vendorReference: string | null): ActionResult => ({ outcome: 'done', detail, vendorReference, outputs: {} });
const alreadyDone = (detail: string, vendorReference: string | null): ActionResult => ({ outcome: 'already_done', detail, vendorReference, outputs: {} });

export function createGraphActivities(sessionFor: (tenantId: string) => GraphSession) {
  async function setAccountEnabled(request: ActionRequest, enabled: boolean): Promise<ActionResult> {
    const target = targetOfKind(request, 'user');
    const graph = sessionFor(request.tenantId);
    // Checked first: a retry after a crash, or an account someone already disabled, is not changed twice.
    const user = await getUser(graph, target);
    const verb = enabled ? 'enabled' : 'disabled';
    if (user.accountEnabled === enabled) return alreadyDone(`The Entra ID account ${target.upn} was already ${verb}`, user.id);
    await graph.call('PATCH', `/users/${encodeURIComponent(user.id)}`, noContent, { accountEnabled: enabled }, `/users/${target.upn}`);
    return done(`${enabled ? 'Enabled' : 'Disabled'} the Entra ID account ${target.upn} (accountEnabled=${enabled})`, user.id);
  }

  return {
    m365DisableUser: (request: ActionRequest) => setAccountEnabled(request, false),
    m365EnableUser: (request: ActionRequest) => setAccountEnabled(request, true),

    async m365RevokeSessions(request: ActionRequest): Promise<ActionResult> {
      const target = targetOfKind(request, 'user');
      const graph = sessionFor(request.tenantId);
      const id = target.objectId ?? target.upn;
      const answer = await graph.call('POST', `/users/${encodeURIComponent(id)}/revokeSignInSessions`, revokeSchema, {}, `/users/${target.upn}/revokeSignInSessions`);
      if (answer !== undefined && !answer.value) throw refused('VendorRefused', `Graph answered revokeSignInSessions for ${target.upn} with value=false`);
      return done(`Revoked the sign-in sessions and refresh tokens of ${target.upn}`, target.objectId ?? null);
    },

    async m365ConfirmCompromised(request: ActionRequest): Promise<ActionResult> {
      const target = targetOfKind(request, 'user');
      const graph = sessionFor(request.tenantId);
      // riskyUsers takes object ids only.
      const id = target.objectId ?? (await getUser(graph, target)).id;
      await graph.call('POST', '/identityProtection/riskyUsers/confirmCompromised', noContent, { userIds: [id] });
      return done(`Confirmed ${target.upn} as compromised in Entra ID Protection (user risk high)`, id);
    },

    async m365CommentAlert(request: ActionRequest): Promise<ActionResult> {
      const target = targetOfKind(request, 'alert');
      const params = ACTION_PARAMS['m365.commentAlert'].parse(request.params);
      const comment = params.comment ?? request.comment;
      await sessionFor(request.tenantId).call('POST', `${alertPath(target)}/comments`, noContent, {
        '@odata.type': 'microsoft.graph.security.alertComment',
        comment,
      });
      return done(`Commented on alert ${target.externalId}`, target.externalId);
    },

    async m365UpdateAlert(request: ActionRequest): Promise<ActionResult> {
      const target = targetOfKind(request, 'alert');
      const params = ACTION_PARAMS['m365.updateAlert'].parse(request.params);
      const changes = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
      const alert = await sessionFor(request.tenantId).call('PATCH', alertPath(target), alertSchema, changes);
      const listed = Object.entries(changes)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(', ');
      return done(`Updated alert ${alert.id}: ${listed}`, alert.id);
    },
  };
}

/** The user's object id and directory groups (transitive, groups only), following every page. */
export async function userFacts(graph: GraphSession, target: UserTarget): Promise<{ user: GraphUser; groups: string[] }> {
  const user = await getUser(graph, target);
  const groups: string[] = [];
  let page: string | undefined = `/users/${encodeURIComponent(user.id)}/transitiveMemberOf/microsoft.graph.group?$select=displayName`;
  const shown = `/users/${target.upn}/transitiveMemberOf`;
  while (page !== undefined) {
    const answer: z.output<typeof groupPageSchema> = await graph.call('GET', page, groupPageSchema, undefined, shown);
    for (const group of answer.value) if (group.displayName) groups.push(group.displayName);
    page = answer['@odata.nextLink'];
  }
  return { user, groups };
}

function getUser(graph: GraphSession, target: UserTarget): Promise<GraphUser> {
  const id = target.objectId ?? target.upn;
  return graph.call('GET', `/users/${encodeURIComponent(id)}?$select=id,accountEnabled,userPrincipalName,mail,proxyAddresses`, graphUserSchema, undefined, `/users/${target.upn}`);
}

/** R11: the alert as Graph holds it, by its id; the facts the isolation score may use. */
export async function vendorAlertFacts(graph: GraphSession, externalId: string): Promise<VendorAlertFacts> {
  const alert = await graph.call('GET', alertPath({ kind: 'alert', source: 'graph', externalId }), alertFactsSchema);
  const known = (value: string | null | undefined) => (value && value !== 'unknown' ? value : null);
  const deviceNames = (alert.evidence ?? []).flatMap((e) => (e['@odata.type'] === '#microsoft.graph.security.deviceEvidence' && e.deviceDnsName ? [e.deviceDnsName.toLowerCase()] : []));
  return {
    severity: alert.severity ?? 'unknown',
    verdict: known(alert.determination) ?? known(alert.classification),
    detectionSource: known(alert.detectionSource),
    techniques: alert.mitreTechniques ?? [],
    deviceNames,
  };
}

function alertPath(target: AlertTarget): string {
  return `/security/alerts_v2/${encodeURIComponent(target.externalId)}`;
}
