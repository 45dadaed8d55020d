/**
 * The workflow side of tracing (issue 8), cheap for workflows that do not trace (issue 18) and safe for histories
 * written before tracing existed.
 *
 * - **Traced** workflows get the SDK's OpenTelemetry workflow interceptors (RunWorkflow, StartActivity, handler spans,
 *   handed out through the `exporter` sink). They wrap handlers and commands in spans, which moves some commands by a
 *   microtask (an update's completion after a signal sent in the same task): histories written without them would no
 *   longer replay. So they act only from the `soar-otel-tracing` patch on, as before.
 * - A workflow whose start header says `off` (`SOAR_WORKFLOW_TRACING=off`, workflows/tracingMode.ts) never asks for
 *   the patch and makes no span; it passes the trace context it was started with on to its activities and children,
 *   so their spans stay in the caller's trace. A start without the header (schedules, clients before issue 18) is
 *   traced as before. The header is in the history, so a replay takes the same branch.
 * - The OpenTelemetry modules are loaded only by a workflow that traces: every module a workflow evaluates costs memory
 *   and time per cached or replayed workflow (the SDK keeps a module cache per workflow, docs/performance.md).
 *
 * Queries and update validators are never traced (they may not record anything).
 */
import { defaultPayloadConverter, patched, type WorkflowInterceptors } from '@temporalio/workflow';
import type { Headers } from '@temporalio/common';
import type * as OtelWorkflow from '@temporalio/interceptors-opentelemetry/lib/workflow';
import { TRACE_CONTEXT_HEADER, WORKFLOW_TRACING_HEADER } from './tracingMode';

export const TRACING_PATCH = 'soar-otel-tracing';

interface Spans {
  inbound: OtelWorkflow.OpenTelemetryInboundInterceptor;
  outbound: OtelWorkflow.OpenTelemetryOutboundInterceptor;
  internals: OtelWorkflow.OpenTelemetryInternalsInterceptor;
}

function loadSpans(): Spans {
  // Required here, not imported: a workflow that does not trace never evaluates OpenTelemetry.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const otel = require('@temporalio/interceptors-opentelemetry/lib/workflow') as typeof OtelWorkflow;
  return { inbound: new otel.OpenTelemetryInboundInterceptor(), outbound: new otel.OpenTelemetryOutboundInterceptor(), internals: new otel.OpenTelemetryInternalsInterceptor() };
}

function tracingOff(headers: Headers): boolean {
  const header = headers[WORKFLOW_TRACING_HEADER];
  return header !== undefined && defaultPayloadConverter.fromPayload(header) === 'off';
}

export const interceptors = (): WorkflowInterceptors => {
  let startHeaders: Headers = {};
  let decided: boolean | undefined;
  let spans: Spans | undefined;
  // Decided once per workflow, at its first handler or command, the same way on replay.
  const traced = (): boolean => (decided ??= !tracingOff(startHeaders) && patched(TRACING_PATCH));
  const otel = (): Spans => (spans ??= loadSpans());
  /** Untraced: the caller's trace context goes on with the command, so activity and child spans stay in its trace. */
  const carried = <T extends { headers: Headers }>(input: T): T => {
    const context = startHeaders[TRACE_CONTEXT_HEADER];
    return context === undefined || input.headers[TRACE_CONTEXT_HEADER] !== undefined ? input : { ...input, headers: { ...input.headers, [TRACE_CONTEXT_HEADER]: context } };
  };
  /** A child is started in its parent's mode. */
  const inherited = <T extends { headers: Headers }>(input: T): T => {
    const mode = startHeaders[WORKFLOW_TRACING_HEADER];
    return mode === undefined ? input : { ...input, headers: { ...input.headers, [WORKFLOW_TRACING_HEADER]: mode } };
  };
  return {
    inbound: [
      {
        execute: (input, next) => {
          startHeaders = input.headers;
          return traced() ? otel().inbound.execute(input, next) : next(input);
        },
        handleSignal: (input, next) => (traced() ? otel().inbound.handleSignal(input, next) : next(input)),
        handleUpdate: (input, next) => (traced() ? otel().inbound.handleUpdate(input, next) : next(input)),
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => (traced() ? otel().outbound.scheduleActivity(input, next) : next(carried(input))),
        scheduleLocalActivity: (input, next) => (traced() ? otel().outbound.scheduleLocalActivity(input, next) : next(carried(input))),
        startChildWorkflowExecution: (input, next) =>
          traced() ? otel().outbound.startChildWorkflowExecution(inherited(input), next) : next(inherited(carried(input))),
        signalWorkflow: (input, next) => (traced() ? otel().outbound.signalWorkflow(input, next) : next(carried(input))),
        continueAsNew: (input, next) => (traced() ? otel().outbound.continueAsNew(inherited(input), next) : next(inherited(carried(input)))),
        getLogAttributes: (input, next) => (spans ? spans.outbound.getLogAttributes(input, next) : next(input)),
      },
    ],
    internals: [{ dispose: (input, next) => (spans ? spans.internals.dispose(input, next) : next(input)) }],
  };
};
