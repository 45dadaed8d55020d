/**
 * The worker process's Temporal Runtime: SDK and core logs go to the engine's pino logger (with the workflow and
 * activity ids the SDK attaches), failure texts taken out (they may name a user or a host from the alert), and the
 * SDK's own metrics are served for Prometheus when a port is configured.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger';
import { HISTOGRAM_BUCKETS } from '../telemetry/histogramBuckets';
import { redactSdkLogLine } from './sdkLogRedaction';

const PINO_METHOD = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const satisfies Record<LogLevel, string>;

/** Must run once, before the first NativeConnection or Worker of the process. */
export function installWorkerRuntime(logger: Logger, metrics: { host: string; port: number } | null): void {
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta }) => {
      const line = redactSdkLogLine(level, message, meta);
      logger[PINO_METHOD[level]](line.meta, line.message);
    }),
    telemetryOptions: {
      // Core's own lines (e.g. "Failing workflow task" with the failure) through the same logger instead of its console
      // print, so that they are redacted too; the SDK's default levels.
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      ...(metrics
        ? { metrics: { prometheus: { bindAddress: `${metrics.host}:${metrics.port}`, histogramBucketOverrides: HISTOGRAM_BUCKETS } } }
        : {}),
    },
  });
}
