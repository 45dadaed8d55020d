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
import type { ClientInterceptors } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type { Tracing } from './tracing';

/**
 * The workflow interceptors module (the SDK's, gated by a patch so that older histories replay); a prebuilt workflow
 * bundle and every replayer must be made with it (`workflowInterceptorModules`).
 */
export const TRACING_WORKFLOW_MODULES = [require.resolve('../../workflows/tracingInterceptors')];

/** The span sink the traced workflows call; replay never calls it, but a bundle with tracing needs it registered. */
export const REPLAY_SINKS = { exporter: { export: { fn: () => undefined } } };

export function tracingClientInterceptors(tracing: Tracing): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer: tracing.tracer })] };
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
