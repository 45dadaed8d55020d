/**
 * Jest setup: the Temporal SDK's own log lines (worker state changes and the like, INFO by default) at WARN, so a test
 * run shows what went wrong rather than every worker start and stop. Warnings and errors still print.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
