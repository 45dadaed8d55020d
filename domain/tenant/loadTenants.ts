/** Reads tenant files from config/tenants: YAML with line tracking, validated strictly, refused with file:line errors. */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { catalogConflicts, conflictMessage, TenantCatalog } from './tenantCatalog';
import { formatKeyPath, TenantConfigError, type TenantIssue } from './tenantConfigError';
import { tenantSchema, type Tenant } from './tenantSchema';
import { unknownKeyMessage } from './unknownKeyHint';
import { firstLine, lineOfPath, sortByLine } from './yamlLocation';

export { TenantCatalog, TenantCatalogConflictError, TenantNotFoundError } from './tenantCatalog';
export { TenantConfigError, type TenantIssue } from './tenantConfigError';

const TENANT_FILE = /\.ya?ml$/;

interface ReadTenant {
  tenant: Tenant;
  /** The line of a key path in the file. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** Validates one tenant file's text; `fileName` names it in errors and its base name must equal the tenant id. */
export function parseTenantYaml(text: string, fileName: string): Tenant {
  return readTenant(text, fileName).tenant;
}

export function loadTenantFile(path: string): Tenant {
  return readTenant(readText(path), path).tenant;
}

/** Every `.yaml`/`.yml` file of the directory, in name order; an empty directory gives an empty catalog. */
export function loadTenantDirectory(dir: string): TenantCatalog {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && TENANT_FILE.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch {
    throw new TenantConfigError(dir, [{ path: '', line: undefined, message: 'the tenant directory cannot be read' }]);
  }
  const files = names.map((name) => join(dir, name));
  const read = files.map((file) => readTenant(readText(file), file));
  const conflicts = catalogConflicts(read.map((r) => r.tenant));
  const first = conflicts[0];
  if (first) {
    const mine = conflicts.filter((c) => c.index === first.index);
    const entry = read[first.index];
    throw new TenantConfigError(
      files[first.index] ?? dir,
      mine.map((c) => ({ path: formatKeyPath(c.path), line: entry?.lineOf(c.path), message: conflictMessage(c, `tenant '${read[c.otherIndex]?.tenant.id}' in ${names[c.otherIndex]}`) })),
    );
  }
  return new TenantCatalog(read.map((r) => r.tenant));
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new TenantConfigError(path, [{ path: '', line: undefined, message: 'the tenant file cannot be read' }]);
  }
}

function readTenant(text: string, file: string): ReadTenant {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new TenantConfigError(
      file,
      doc.errors.map((error) => ({ path: '', line: lineCounter.linePos(error.pos[0]).line, message: `YAML syntax error: ${firstLine(error.message)}` })),
    );
  }
  if (doc.contents === null) throw new TenantConfigError(file, [{ path: '', line: undefined, message: 'the file is empty; a tenant file is a mapping starting with id:' }]);
  const lineOf = (path: readonly PropertyKey[]) => lineOfPath(doc, lineCounter, path);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new TenantConfigError(file, [{ path: '', line: undefined, message: `YAML cannot be read: ${error instanceof Error ? error.message : String(error)}` }]);
  }

  const issues: TenantIssue[] = [...idMatchesFileName(data, file, lineOf)];
  const parsed = tenantSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) issues.push(...parsed.error.issues.flatMap((issue) => toTenantIssues(issue, lineOf)));
  if (issues.length > 0 || !parsed.success) throw new TenantConfigError(file, sortByLine(issues));
  return { tenant: parsed.data, lineOf };
}

/** The tenant id is the file name: one file per customer, found by id. */
function idMatchesFileName(data: unknown, file: string, lineOf: (path: readonly PropertyKey[]) => number | undefined): TenantIssue[] {
  const expected = basename(file, extname(file));
  const withId = z.looseObject({ id: z.string() }).safeParse(data);
  if (!withId.success || withId.data.id === expected) return [];
  return [{ path: 'id', line: lineOf(['id']), message: `id '${withId.data.id}' must equal the file name '${expected}'` }];
}

function toTenantIssues(issue: z.core.$ZodIssue, lineOf: (path: readonly PropertyKey[]) => number | undefined): TenantIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      return { path: formatKeyPath(path), line: lineOf(path), message: unknownKeyMessage(tenantSchema, issue.path, key) };
    });
  }
  const missing = (issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined;
  const message = !missing ? issue.message : issue.code === 'invalid_type' ? `required (${issue.expected})` : `required: ${issue.message}`;
  return [{ path: formatKeyPath(issue.path), line: lineOf(issue.path), message }];
}
