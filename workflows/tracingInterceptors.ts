/**
 * The workflow side of tracing (issue 8), safe for histories written before tracing existed. The SDK's OpenTelemetry
 * workflow interceptors wrap handlers and commands in spans, which moves some commands by a microtask (an update's
 * completion after a signal sent in the same task): histories written without them would no longer replay. So they
 * act only from the `soar-otel-tracing` patch on: a workflow started (or continued live) with this code records the
 * patch marker and is traced; an older history replays exactly as it ran, untraced. Queries and update validators
 * are never traced (they may not record anything).
 */
import { patched, type WorkflowInterceptors } from '@temporalio/workflow';
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';

export const TRACING_PATCH = 'soar-otel-tracing';

const traced = () => patched(TRACING_PATCH);

export const interceptors = (): WorkflowInterceptors => {
  const inbound = new OpenTelemetryInboundInterceptor();
  const outbound = new OpenTelemetryOutboundInterceptor();
  return {
    inbound: [
      {
        execute: (input, next) => (traced() ? inbound.execute(input, next) : next(input)),
        handleSignal: (input, next) => (traced() ? inbound.handleSignal(input, next) : next(input)),
        handleUpdate: (input, next) => (traced() ? inbound.handleUpdate(input, next) : next(input)),
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => (traced() ? outbound.scheduleActivity(input, next) : next(input)),
        scheduleLocalActivity: (input, next) => (traced() ? outbound.scheduleLocalActivity(input, next) : next(input)),
        startChildWorkflowExecution: (input, next) => (traced() ? outbound.startChildWorkflowExecution(input, next) : next(input)),
        signalWorkflow: (input, next) => (traced() ? outbound.signalWorkflow(input, next) : next(input)),
        continueAsNew: (input, next) => (traced() ? outbound.continueAsNew(input, next) : next(input)),
        getLogAttributes: (input, next) => outbound.getLogAttributes(input, next),
      },
    ],
    internals: [new OpenTelemetryInternalsInterceptor()],
  };
};
