/**
 * The Defender for Endpoint measures. Each is a MachineAction the activity follows to its end, heartbeating the
 * action id: a retry after a worker crash resumes following the same action instead of asking again, and a request
 * the vendor already has in progress is found and followed.
 */
import { Context } from '@temporalio/activity';
import { z } from 'zod';
import type { ActionRequest, ActionResult } from '../../../domain/response/actionContract';
import { ACTION_PARAMS } from '../../../domain/response/actionSchemas';
import type { HostTarget } from '../../../domain/response/targets';
import { refused, unavailable } from '../failures';
import { subjectOfKind, targetOfKind } from '../requestTargets';
import type { DefenderApi, MachineAction, Machine } from './defenderApi';

const DEFAULT_POLL_MS = 5_000;
const heartbeatSchema = z.object({ machineActionId: z.string().min(1) });

/** One kind of MachineAction: the URL verb, the `type` Defender reports, and (for isolate/release) the type that undoes it. */
interface ActionKind {
  verb: string;
  type: string;
  /** The opposite type: when set, the latest of the two tells whether the change is already in place. */
  opposite?: string;
  what: string;
}

const ISOLATE: ActionKind = { verb: 'isolate', type: 'Isolate', opposite: 'Unisolate', what: 'isolated' };
const RELEASE: ActionKind = { verb: 'unisolate', type: 'Unisolate', opposite: 'Isolate', what: 'released from isolation' };
const QUARANTINE: ActionKind = { verb: 'StopAndQuarantineFile', type: 'StopAndQuarantineFile', what: 'stopped and quarantined the file on' };
const SCAN: ActionKind = { verb: 'runAntiVirusScan', type: 'RunAntiVirusScan', what: 'scanned' };

const FINISHED_BADLY: ReadonlySet<string> = new Set(['Failed', 'TimeOut', 'Cancelled']);

export function createDefenderActivities(apiFor: (tenantId: string) => DefenderApi, pollMs = DEFAULT_POLL_MS) {
  async function runMachineAction(request: ActionRequest, kind: ActionKind, body: Record<string, unknown>): Promise<ActionResult> {
    const host = targetOfKind(request, 'host');
    const api = apiFor(request.tenantId);
    const context = Context.current();
    const resumed = heartbeatSchema.safeParse(context.info.heartbeatDetails);
    if (resumed.success) return follow(api, await api.action(resumed.data.machineActionId), host, kind);

    const machineId = await machineIdOf(api, host);
    if (kind.opposite !== undefined) {
      const latest = (await api.actionsOf(machineId, [kind.type, kind.opposite]))[0];
      if (latest?.type === kind.type && latest.status === 'Succeeded') {
        return { outcome: 'already_done', detail: `Host ${host.hostname} was already ${kind.what} (MachineAction ${latest.id})`, vendorReference: latest.id, outputs: {} };
      }
      if (latest?.type === kind.type && (latest.status === 'Pending' || latest.status === 'InProgress')) return follow(api, latest, host, kind);
    }
    const submitted = await api.submit(machineId, kind.verb, { Comment: request.comment, ...body });
    if (submitted.kind === 'started') return follow(api, submitted.action, host, kind);
    const pending = (await api.actionsOf(machineId, [kind.type])).find((a) => a.status === 'Pending' || a.status === 'InProgress');
    // Defender said one is in progress but lists none: it finished meanwhile; the next attempt looks again.
    if (!pending) throw unavailable(`Defender answered '${submitted.message}' for ${kind.type} on ${host.hostname} but lists no pending ${kind.type} action`);
    return follow(api, pending, host, kind);
  }

  /** Polls the MachineAction until it ends, heartbeating its id so that a retry resumes here. */
  async function follow(api: DefenderApi, first: MachineAction, host: HostTarget, kind: ActionKind): Promise<ActionResult> {
    const context = Context.current();
    let action = first;
    for (;;) {
      context.heartbeat({ machineActionId: action.id });
      if (action.status === 'Succeeded') {
        return { outcome: 'done', detail: `Defender ${kind.what} host ${host.hostname} (MachineAction ${action.id} ${action.type} Succeeded)`, vendorReference: action.id, outputs: {} };
      }
      if (FINISHED_BADLY.has(action.status)) {
        throw refused('MachineActionFailed', `Defender MachineAction ${action.id} (${action.type} on ${host.hostname}) ended ${action.status}`);
      }
      await context.sleep(pollMs);
      action = await api.action(action.id);
    }
  }

  return {
    defenderIsolateDevice: (request: ActionRequest) =>
      runMachineAction(request, ISOLATE, { IsolationType: ACTION_PARAMS['defender.isolateDevice'].parse(request.params).isolationType }),

    defenderReleaseDevice: (request: ActionRequest) => runMachineAction(request, RELEASE, {}),

    defenderStopAndQuarantineFile(request: ActionRequest) {
      const file = subjectOfKind(request, 'file');
      // Defender identifies the file by SHA-1 only; without one there is nothing to ask for: an analyst takes over.
      if (!file.sha1) throw refused('TargetNotFound', `file ${file.name} has no SHA-1; Defender's StopAndQuarantineFile needs one`);
      return runMachineAction(request, QUARANTINE, { Sha1: file.sha1 });
    },

    defenderRunAntivirusScan: (request: ActionRequest) =>
      runMachineAction(request, SCAN, { ScanType: ACTION_PARAMS['defender.runAntivirusScan'].parse(request.params).scanType }),

    async defenderFindMachine(request: ActionRequest): Promise<ActionResult> {
      const host = targetOfKind(request, 'host');
      const machine = await findMachine(apiFor(request.tenantId), host);
      if (!machine) throw refused('TargetNotFound', `Defender knows no machine named ${host.hostname}`);
      return {
        outcome: 'done',
        detail: `Found Defender machine ${machine.id} for ${host.hostname}`,
        vendorReference: machine.id,
        outputs: { machine: { kind: 'host', hostname: host.hostname, machineId: machine.id } },
      };
    },
  };
}

/** By machine id when the target has one, else by DNS name. */
export async function findMachine(api: DefenderApi, host: HostTarget): Promise<Machine | null> {
  return host.machineId ? api.machine(host.machineId) : api.machineByDnsName(host.hostname);
}

async function machineIdOf(api: DefenderApi, host: HostTarget): Promise<string> {
  if (host.machineId) return host.machineId;
  const machine = await api.machineByDnsName(host.hostname);
  if (!machine) throw refused('TargetNotFound', `Defender knows no machine named ${host.hostname}`);
  return machine.id;
}
