/**
 * The Temporal SDK's OpenTelemetry interceptors, bound to the process's tracer: a client puts the active trace in the
 * workflow's headers; the worker continues it in the workflow (spans made in the sandbox, handed out through the
 * `exporter` sink) and in each activity, under which the vendor calls' spans hang.
 */
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { ClientInterceptors, WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type { WorkerOptions } from '@temporalio/worker';
import type { Tracing } from './tracing';
import { WORKFLOW_TRACING_HEADER, type WorkflowTracing } from '../../workflows/tracingMode';

/**
 * The workflow interceptors module (the SDK's, gated by a patch so that older histories replay); a prebuilt workflow
 * bundle and every replayer must be made with it (`workflowInterceptorModules`).
 */
export const TRACING_WORKFLOW_MODULES = [require.resolve('../../workflows/tracingInterceptors')];

export { REPLAY_SINKS } from './replaySinks';

/**
 * The client's interceptors: the trace context in every call's headers and, on every workflow start, whether the
 * workflow makes spans of its own (`workflowTracing`, from `SOAR_WORKFLOW_TRACING`; workflows/tracingInterceptors.ts).
 */
export function tracingClientInterceptors(tracing: Tracing, workflowTracing: WorkflowTracing): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer }), workflowTracingMode(workflowTracing)] };
}

function workflowTracingMode(mode: WorkflowTracing): WorkflowClientInterceptor {
  const marked = (headers: Headers): Headers => ({ ...headers, [WORKFLOW_TRACING_HEADER]: defaultPayloadConverter.toPayload(mode) });
  return {
    start: (input, next) => next({ ...input, headers: marked(input.headers) }),
    startWithDetails: (input, next) => next({ ...input, headers: marked(input.headers) }),
    signalWithStart: (input, next) => next({ ...input, headers: marked(input.headers) }),
    startUpdateWithStart: (input, next) => next({ ...input, workflowStartHeaders: marked(input.workflowStartHeaders) }),
  };
}

/** The worker's interceptors and the span sink. The sink is always registered: the workflows in the bundle call it. */
export function tracingWorkerOptions(tracing: Tracing, bundled: boolean): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  return {
    interceptors: {
      ...(bundled ? {} : { workflowModules: TRACING_WORKFLOW_MODULES }),
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer }),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
