/**
 * Event intake (R1, R3, R12): checks that events come from a registered source of their tenant, evaluates them in
 * an `EventBatch`, and hands each incident's hits to its alert workflow with signal-with-start. Events are never
 * workflows; only a rule hit starts (or signals) one.
 */
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { DetectionRules } from '../detection/detectionRules';
import { CorrelationState } from '../detection/sigma/correlation';
import type { EventMapping, EventMappings } from '../detection/eventMapping';
import type { NormalisedAlert } from '../domain/alert';
import type { TenantCatalog } from '../domain/tenant/tenantCatalog';
import type { Tenant, TenantSource } from '../domain/tenant/tenantSchema';
import type { TenantPolicy } from '../domain/tenantPolicy';
import type { CorrelatedHit } from '../domain/correlation';
import { alertWorkflow, type AlertWorkflowInput } from '../workflows/alertWorkflow';
import { correlatedHitSignal } from '../workflows/messages';
import { may, type Principal } from '../domain/access/roles';
import { isEngineUnreachable } from '../infra/temporal/engineUnreachable';
import { EngineUnavailableError, ForbiddenError, UnknownTenantError, UnregisteredSourceError } from '../domain/refusals';
import { requireTenantInScope } from '../domain/access/tenantScope';
import { alertStartOptions, withStartDeadline } from './alertStartOptions';
import { EventBatch, type PendingIncident } from './eventBatch';
import type { TrustedCallerKeys } from '../domain/callerAssertion';

export interface EventIntakeDeps {
  client: Client;
  taskQueue: string;
  tenants: TenantCatalog;
  policyFor: (tenant: Tenant) => Promise<TenantPolicy>;
  detection: DetectionRules;
  mappings: EventMappings;
  /** Correlation window (default 15 minutes). */
  windowMs: number;
  now: () => Date;
  /** The public keys of the API's caller assertions, handed to every incident (workflows/signedCaller.ts). */
  /** undefined only where a test drives workflows with raw Updates, as clients did before signed callers. */
  callerKeys: TrustedCallerKeys | undefined;
  /** How long a signal-with-start may take before it fails as unavailable (default START_DEADLINE_MS). */
  startDeadlineMs?: number | undefined;
}

/** What happened to one incident's hits of a batch. */
export interface DispatchedIncident {
  alertId: string;
  statusUrl: string;
  ruleId: string;
  ruleTitle: string;
  level: string;
  entity: { field: string; value: string };
  windowStart: string;
  /** Hits of this batch counted into the incident. */
  hits: number;
  /** `signalled`: started or added to; `incident_closed`: the incident was already closed, the hits are not counted. */
  outcome: 'signalled' | 'incident_closed';
}

export interface SourceBinding {
  tenant: Tenant;
  source: TenantSource;
  mapping: EventMapping;
}

const DISPATCH_CONCURRENCY = 8;

export class EventIntake {
  /** Sigma correlation windows of every tenant's event stream (this process's memory; see detection/rules/README.md). */
  private readonly correlations = new CorrelationState();

  constructor(private readonly deps: EventIntakeDeps) {}

  get windowMs(): number {
    return this.deps.windowMs;
  }

  /** R1 and R17: the key may ingest for the tenant, the tenant exists, the source is registered and its events can be mapped. */
  bindSource(principal: Principal, tenantId: string | undefined, sourceId: string): SourceBinding {
    if (tenantId !== undefined) requireTenantInScope(principal, tenantId); // R17: another tenant is absent (404)
    if (!may(principal, 'ingestAlerts')) throw new ForbiddenError(`Role '${principal.role}' may not submit events`);
    const id = tenantId ?? principal.tenantId;
    if (id === undefined || id === null) throw new UnknownTenantError('', 'tenantId');
    const tenant = this.deps.tenants.get(id);
    if (!tenant) throw new UnknownTenantError(id, 'tenantId');
    return this.bind(tenant, sourceId);
  }

  /** The binding of a known tenant's source (syslog identifies both by the sender's address). */
  bind(tenant: Tenant, sourceId: string): SourceBinding {
    const source = tenant.sources.find((s) => s.id === sourceId);
    if (!source) throw new UnregisteredSourceError(tenant.id, sourceId, 'source');
    const mapping = this.deps.mappings.forKind(source.kind);
    if (!mapping) {
      throw new UnregisteredSourceError(tenant.id, sourceId, 'source', `Source '${sourceId}' (${source.kind}) sends alerts, not events: no field mapping for its kind`);
    }
    return { tenant, source, mapping };
  }

  newBatch({ tenant, source, mapping }: SourceBinding, options: { deliverySalt?: string } = {}): EventBatch {
    return new EventBatch(
      tenant,
      source,
      mapping,
      { ruleSet: this.deps.detection.ruleSet, version: this.deps.detection.version },
      { windowMs: this.deps.windowMs, maxListedRefusals: 1000, maxIncidents: 5000 },
      this.deps.now(),
      options.deliverySalt ?? '',
      this.correlations,
    );
  }

  /** A salt that makes every syslog delivery distinct (no re-sends there, so no duplicates to detect). */
  static freshSalt(): string {
    return randomUUID();
  }

  /**
   * Signals every incident of the batch, starting its workflow where needed. If the engine becomes unreachable
   * part-way, the error lists what was dispatched: re-sending the batch is safe (a delivery is counted once).
   */
  async dispatch(batch: EventBatch): Promise<DispatchedIncident[]> {
    const pending = [...batch.incidents.values()];
    const done: DispatchedIncident[] = [];
    let failure: unknown;
    for (let i = 0; i < pending.length && failure === undefined; i += DISPATCH_CONCURRENCY) {
      const results = await Promise.allSettled(pending.slice(i, i + DISPATCH_CONCURRENCY).map((incident) => this.signal(batch, incident)));
      for (const result of results) {
        if (result.status === 'fulfilled') done.push(result.value);
        else failure ??= result.reason;
      }
    }
    if (failure !== undefined) {
      if (isEngineUnreachable(failure)) {
        throw new EngineUnavailableError('The workflow service is unavailable; retry later (re-sending the batch is safe)', done);
      }
      throw failure;
    }
    return done;
  }

  private async signal(batch: EventBatch, incident: PendingIncident): Promise<DispatchedIncident> {
    const { tenant, source } = batch;
    const hit: CorrelatedHit = {
      deliveryKey: incident.digest.copy().digest('hex').slice(0, 32),
      hits: incident.hits,
      firstAt: incident.firstAt,
      lastAt: incident.lastAt,
      source: source.id,
    };
    const alert = this.alertOf(batch, incident);
    const input: AlertWorkflowInput = {
      alertId: incident.alertId,
      alert,
      tenant: await this.deps.policyFor(tenant),
      sourceProduct: source.product,
      receivedAt: this.deps.now().toISOString(),
      ...(this.deps.callerKeys ? { callerKeys: this.deps.callerKeys } : {}),
      correlation: incident.key,
      eventDetection: {
        matchedRules: [{ ruleId: incident.match.ruleId, title: incident.match.title, level: incident.match.level }],
        ruleSetVersion: batch.rules.version,
      },
    };
    const { client, taskQueue, startDeadlineMs } = this.deps;
    const signalled = withStartDeadline(
      client,
      () =>
        client.workflow.signalWithStart(alertWorkflow, {
          ...alertStartOptions(taskQueue, input),
          // A closed incident is not reopened: later hits of its window are reported, not counted.
          signal: correlatedHitSignal,
          signalArgs: [hit],
        }),
      startDeadlineMs,
    );
    const outcome = await signalled.then(
      () => 'signalled' as const,
      (error: unknown) => {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return 'incident_closed' as const;
        throw error;
      },
    );
    return {
      alertId: incident.alertId,
      statusUrl: `/v1/alerts/${encodeURIComponent(incident.alertId)}`,
      ruleId: incident.match.ruleId,
      ruleTitle: incident.match.title,
      level: incident.match.level,
      entity: incident.key.entity,
      windowStart: incident.key.windowStart,
      hits: incident.hits,
      outcome,
    };
  }

  /** The incident's normalised alert, built from the first hit of the batch that opened it. */
  private alertOf(batch: EventBatch, incident: PendingIncident): NormalisedAlert {
    const { key, match, firstEvent } = incident;
    const text = (field: string): string[] => {
      const value = firstEvent[field];
      const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
      return values.filter((v) => v !== null && v !== '').map(String);
    };
    const ips = [
      ...text('src_ip').map((address) => ({ address, role: 'source' as const })),
      ...text('dst_ip').map((address) => ({ address, role: 'destination' as const })),
    ];
    return {
      tenantId: batch.tenant.id,
      source: batch.source.id,
      externalId: `sigma:${match.ruleId}:${key.entity.field}=${key.entity.value}@${key.windowStart}`,
      title: `${match.title} (${key.entity.field} ${key.entity.value})`.slice(0, 1024),
      description: `Raised from ${batch.source.kind} events of source '${batch.source.id}' by detection rule '${match.title}' (${match.ruleId}); hits for ${key.entity.field}=${key.entity.value} from ${key.windowStart} to ${key.windowEnd} are counted into this incident.`,
      observedAt: incident.firstAt,
      techniques: [],
      entities: {
        users: text('user').slice(0, 10).map((name) => ({ name })),
        hosts: text('host').slice(0, 10).map((hostname) => ({ hostname, ips: [] })),
        ips,
        files: [],
        processes: [],
        urls: [],
      },
      raw: { event: firstEvent, logsource: batch.source.kind },
    };
  }
}
