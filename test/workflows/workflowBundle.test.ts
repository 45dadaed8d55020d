/** The workflow bundle stays lean (issue 18): every module in it is evaluated once per cached workflow, so validation libraries stay out. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO, testTemporal } from '../support/testEnv';
import { PRELOADED_DOMAIN_MODULES, PRELOADED_WORKFLOW_MODULES } from '../../infra/temporal/workflowBundle';

/** Module ids as webpack writes them (`/***\/ "./node_modules/zod/v4/core/api.js"`), before the inline source map. */
function bundledModules(): string[] {
  const code = readFileSync(testTemporal().bundlePath, 'utf8');
  return [...code.matchAll(/^\/\*\*\*\/ "([^"]+)"$/gm)].map((match) => match[1] ?? '');
}

/** The innermost package of a module id (`./node_modules/a/node_modules/b/x.js` is in `b`). */
const packageOf = (id: string) => /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id)?.[1] ?? null;
const copiesOf = (name: string) => new Set(bundledModules().filter((id) => packageOf(id) === name).map((id) => id.slice(0, id.lastIndexOf(`node_modules/${name}/`))));

test('the workflow bundle carries no validation, parsing or I/O library (zod, yaml, pino, the vendor clients)', () => {
  const modules = bundledModules();
  expect(modules.length).toBeGreaterThan(50);
  const packages = new Set(modules.map(packageOf).filter((p) => p !== null));
  expect(packages).toContain('@temporalio/workflow');
  for (const banned of ['zod', 'yaml', 'pino', 'express', '@azure/identity', '@microsoft/microsoft-graph-client', 'nodemailer', 'date-holidays']) {
    expect(packages).not.toContain(banned);
  }
});

test('every preloaded module is in the bundle and is a library, never workflow code', () => {
  const packages = new Set(bundledModules().map(packageOf));
  for (const module of PRELOADED_WORKFLOW_MODULES) {
    expect(packages).toContain(module.startsWith('@') ? module.split('/').slice(0, 2).join('/') : module.split('/')[0]);
    expect(module).not.toMatch(/^[./]|@temporalio\//);
  }
});

test('the OpenTelemetry packages share one bundled copy of their semantic conventions (they each bring their own)', () => {
  expect(copiesOf('@opentelemetry/semantic-conventions').size).toBe(1);
});

test('every domain module in the bundle is preloaded (shared by all workflows), except the text catalogues loaded on first use', () => {
  const preloaded = new Set(PRELOADED_DOMAIN_MODULES.map((file) => `./${relative(REPO, file).split('\\').join('/')}`));
  for (const module of preloaded) expect(module).toMatch(/^\.\/domain\//);
  const domain = bundledModules().filter((id) => id.startsWith('./domain/'));
  const loadedOnFirstText = /^\.\/domain\/i18n\/(messages\.[jt]s|customerMessages\.[jt]s|socMessages\.[jt]s|measureWords\.[jt]s|lazyMessages\.[jt]s|\w+\.json)$/;
  expect(domain.filter((id) => !preloaded.has(id) && !loadedOnFirstText.test(id))).toEqual([]);
  expect(domain.filter((id) => preloaded.has(id))).toHaveLength(preloaded.size);
});
