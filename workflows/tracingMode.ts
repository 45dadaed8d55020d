/**
 * Whether a workflow makes spans of its own inside the sandbox (`SOAR_WORKFLOW_TRACING`, docs/operations.md): the
 * client that starts it says so in a header, so the choice is in the workflow's history and replays the same way.
 */
export type WorkflowTracing = 'on' | 'off';

export const WORKFLOW_TRACING_HEADER = 'soar-workflow-tracing';

/** The SDK's OpenTelemetry header with the W3C trace context (`TRACE_HEADER` of @temporalio/interceptors-opentelemetry). */
export const TRACE_CONTEXT_HEADER = '_tracer-data';
