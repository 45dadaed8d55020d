/**
 * The span sink traced workflows call (`exporter`), as a no-op: replay never calls it, but a bundle with tracing needs it
 * registered. A module of its own, so that replay threads do not load the OpenTelemetry SDK to get it.
 */
export const REPLAY_SINKS = { exporter: { export: { fn: () => undefined } } };
