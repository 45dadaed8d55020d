/** Typed fakes of the response activities, for tests about orchestration (the real adapters have their own tests). */
import { ApplicationFailure } from '@temporalio/activity';
import { ACTIONS, type ActionSpec } from '../../domain/response/actionCatalog';
import type { ActionRequest, ActionResult, TargetFacts, VendorAlertFacts } from '../../domain/response/actionContract';
import type { ResolvedTarget } from '../../domain/response/targets';

export interface FakeCall {
  activity: string;
  request: ActionRequest;
  /** How many mails the test SMTP server had received when the vendor was called (R8: the notice came first). */
  mailsBefore: number;
}

export class FakeVendors {
  readonly calls: FakeCall[] = [];
  readonly lookUps: ResolvedTarget[] = [];
  /** activity name -> the failure it throws (non-retryable, like a vendor's permanent refusal). */
  readonly failures = new Map<string, { type: string; message: string }>();
  /** upn or hostname -> directory groups or machine tags. */
  readonly groups = new Map<string, string[]>();
  readonly unknown = new Set<string>();
  /** externalId -> the alert as Graph would hold it (R11 verifies alerts there); absent ids are unknown to Graph. */
  readonly vendorAlerts = new Map<string, VendorAlertFacts>();

  constructor(private readonly mailCount: () => number) {}

  callsOf(activity: string, alertId?: string): FakeCall[] {
    return this.calls.filter((c) => c.activity === activity && (alertId === undefined || c.request.alertId === alertId));
  }

  activities(): Record<string, (...args: never[]) => Promise<unknown>> {
    const fakes: Record<string, (...args: never[]) => Promise<unknown>> = {};
    for (const spec of Object.values(ACTIONS) as ActionSpec[]) {
      fakes[spec.activity] = async (request: ActionRequest): Promise<ActionResult> => {
        this.calls.push({ activity: spec.activity, request, mailsBefore: this.mailCount() });
        const failure = this.failures.get(spec.activity);
        if (failure) throw ApplicationFailure.nonRetryable(failure.message, failure.type);
        const outputs: Record<string, ResolvedTarget> =
          spec.activity === 'defenderFindMachine' && request.target.kind === 'host' ? { machine: { ...request.target, machineId: `mde-${request.target.hostname}` } } : {};
        return { outcome: 'done', detail: `fake ${spec.activity}`, vendorReference: null, outputs };
      };
    }
    fakes['lookUpTarget'] = async ({ target }: { tenantId: string; target: ResolvedTarget }): Promise<TargetFacts> => {
      this.lookUps.push(target);
      const name = target.kind === 'user' ? target.upn : target.kind === 'host' ? target.hostname : '';
      if (this.unknown.has(name)) return { target, groups: [], found: false };
      return { target, groups: this.groups.get(name) ?? [], found: true, identity: { name, aliases: [] } };
    };
    fakes['fetchVendorAlert'] = async ({ externalId }: { tenantId: string; externalId: string }): Promise<VendorAlertFacts | null> => this.vendorAlerts.get(externalId) ?? null;
    return fakes;
  }
}
