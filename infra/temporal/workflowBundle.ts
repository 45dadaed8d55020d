/**
 * How the engine's workflows are bundled, the same everywhere (worker, tests, replay, benchmarks). Every module a
 * workflow reaches is evaluated again for each workflow the worker caches (the SDK's reusable V8 context keeps a module
 * cache per workflow), so the bundle stays lean (docs/performance.md):
 * - the OpenTelemetry packages the tracing interceptors bring each carry their own copy of the same
 *   `@opentelemetry/semantic-conventions` (1.28.0, 1.45.0 at the top level): one copy is bundled instead of three;
 * - PRELOADED_WORKFLOW_MODULES and PRELOADED_DOMAIN_MODULES are evaluated once per workflow thread and shared by every
 *   workflow: only libraries of constants and pure functions with no state of their own belong here (the SDK freezes
 *   them). The domain modules the workflows use are such (no I/O, no workflow API, no module state), except the text
 *   catalogues, which a workflow loads only when it renders a text (domain/i18n/customerMessages.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { BundleOptions } from '@temporalio/worker';
import { TRACING_WORKFLOW_MODULES } from '../telemetry/temporalTracing';
import { FAILURE_CONVERTER_PATH } from './dataConverter';

const SEMANTIC_CONVENTIONS = '@opentelemetry/semantic-conventions';

export const PRELOADED_WORKFLOW_MODULES = [SEMANTIC_CONVENTIONS, 'ipaddr.js', '@noble/hashes/sha256', '@noble/hashes/utils', '@noble/curves/ed25519'];

/** The ES module build of the copy `@opentelemetry/core` resolves (its own nested one, or the top-level one once versions agree). */
function semanticConventionsOfCore(): string {
  const main = require.resolve(SEMANTIC_CONVENTIONS, { paths: [dirname(require.resolve('@opentelemetry/core'))] });
  const esm = join(main.slice(0, main.lastIndexOf(`${sep}build${sep}`)), 'build', 'esm', 'index.js');
  if (!existsSync(esm)) throw new Error(`${SEMANTIC_CONVENTIONS}: no ES module build at ${esm}`);
  return esm;
}

/** The domain modules workflow code reaches (test/workflows/workflowBundle.test.ts keeps this list complete), as files. */
export const PRELOADED_DOMAIN_MODULES = [
  'alertLifecycle',
  'analysedAlertClassification',
  'calendar/berlinTime',
  'callerAssertion',
  'calendar/deNwHolidays.generated',
  'calendar/serviceCalendar',
  'calendar/serviceTime',
  'classification',
  'enrichment/enrichmentResult',
  'enrichment/indicators',
  'fairUse',
  'i18n/en.json',
  'i18n/language',
  'i18n/timelineText',
  'response/actionCatalog',
  'response/blockableIp',
  'response/isolationScore',
  'response/playbookRun',
  'response/releaseMatrix',
  'response/responsiblePeople',
  'response/targetIdentity',
  'response/targets',
  'response/vendorQueues',
  'response/responsePolicy',
  'retention',
  'searchAttributes',
  'severity',
  'sigmaLevel',
  'soc/phoneAcknowledgement',
].map((module) => require.resolve(`../../domain/${module}`));

type BundlerOptions = Pick<BundleOptions, 'preloadModules' | 'webpackConfigHook'>;

/** For `Worker.create({ workflowsPath, bundlerOptions })` and, through engineBundleOptions, for `bundleWorkflowCode`. */
export function engineBundlerOptions(): BundlerOptions {
  const semanticConventions = semanticConventionsOfCore();
  return {
    preloadModules: [...PRELOADED_WORKFLOW_MODULES, ...PRELOADED_DOMAIN_MODULES],
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as Record<string, string> | undefined), [`${SEMANTIC_CONVENTIONS}$`]: semanticConventions } },
    }),
  };
}

/** The workflow interceptors of every engine bundle: tracing, and the check of signed callers on every Update (issue 15). */
export const ENGINE_WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../../workflows/signedCaller'), ...TRACING_WORKFLOW_MODULES];

export function engineBundleOptions(workflowsPath: string): BundleOptions {
  return { workflowsPath, workflowInterceptorModules: ENGINE_WORKFLOW_INTERCEPTOR_MODULES, failureConverterPath: FAILURE_CONVERTER_PATH, ...engineBundlerOptions() };
}
