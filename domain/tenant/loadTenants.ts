/**
 * Tenant files (config/tenants) as text: YAML with line tracking, validated strictly, refused with file:line errors.
 * Pure: the files are read by infra/files/tenantFiles.ts.
 */
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { baseName, stemOf } from './fileName';
import { catalogConflicts, conflictMessage, TenantCatalog } from './tenantCatalog';
import { formatKeyPath, TenantConfigError, type TenantIssue } from './tenantConfigError';
import { tenantSchema, type Tenant } from './tenantSchema';
import { unknownKeyMessage } from './unknownKeyHint';
import { firstLine, lineOfPath, sortByLine } from './yamlLocation';

export { TenantCatalog, TenantCatalogConflictError, TenantNotFoundError } from './tenantCatalog';
export { TenantConfigError, type TenantIssue } from './tenantConfigError';

interface ReadTenant {
  tenant: Tenant;
  /** The line of a key path in the file. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

/** One tenant file's text; `file` names it in errors (relative to the working directory when below it). */
export interface TenantFileText {
  readonly file: string;
  readonly text: string;
}

/** Validates one tenant file's text; `fileName` names it in errors and its base name must equal the tenant id. */
export function parseTenantYaml(text: string, fileName: string): Tenant {
  return readTenant(text, fileName).tenant;
}

/** The catalog of a folder's tenant files, in the order given; a clash between two files is refused on the later one. */
export function tenantCatalogOf(files: readonly TenantFileText[]): TenantCatalog {
  const read = files.map(({ text, file }) => readTenant(text, file));
  const conflicts = catalogConflicts(read.map((r) => r.tenant));
  const first = conflicts[0];
  if (first) {
    const mine = conflicts.filter((c) => c.index === first.index);
    const entry = read[first.index];
    throw new TenantConfigError(
      files[first.index]?.file ?? '',
      mine.map((c) => ({ path: formatKeyPath(c.path), line: entry?.lineOf(c.path), message: conflictMessage(c, `tenant '${read[c.otherIndex]?.tenant.id}' in ${baseName(files[c.otherIndex]?.file ?? '')}`) })),
    );
  }
  return new TenantCatalog(read.map((r) => r.tenant));
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
  const expected = stemOf(file);
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
