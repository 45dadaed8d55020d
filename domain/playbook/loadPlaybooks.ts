/**
 * Playbook files (`playbooks/`) as bytes: YAML with line tracking, validated strictly, refused with file:line step
 * errors. Pure: the folder is read by infra/files/playbookFiles.ts.
 */
import { createHash } from 'node:crypto';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { baseName } from '../tenant/fileName';
import { formatKeyPath } from '../tenant/tenantConfigError';
import { unknownKeyMessage } from '../tenant/unknownKeyHint';
import { firstLine, lineOfPath, sortByLine } from '../tenant/yamlLocation';
import { PlaybookCatalog } from './playbookCatalog';
import type { PlaybookDefinition } from './playbookDefinition';
import { PlaybookLoadError, type PlaybookIssue } from './playbookLoadError';
import { playbookSchema } from './playbookSchema';

export { PlaybookCatalog } from './playbookCatalog';
export { PlaybookLoadError, type PlaybookIssue } from './playbookLoadError';

/** A playbook file is named `<id>.yaml`. */
export const PLAYBOOK_FILE = /\.yaml$/;

type LineOf = (path: readonly PropertyKey[]) => number | undefined;

/** One playbook file of the folder: `file` names it in errors; `bytes` is null when the file cannot be read. */
export interface PlaybookFileBytes {
  readonly file: string;
  readonly bytes: Uint8Array | null;
}

/**
 * The catalog of a folder's `<id>.yaml` files. Throws one `PlaybookLoadError` with the issues of all files when any is
 * invalid or unreadable, and when the folder holds no playbook; `folder` names the folder in that error.
 */
export function playbookCatalogOf(folder: string, files: readonly PlaybookFileBytes[]): PlaybookCatalog {
  if (files.length === 0) throw new PlaybookLoadError([{ file: folder, reason: 'the playbook folder holds no playbook (<id>.yaml)' }]);
  const playbooks: PlaybookDefinition[] = [];
  const issues: PlaybookIssue[] = [];
  for (const { file, bytes } of files) {
    const result = bytes === null ? { issues: [{ file, reason: 'the playbook file cannot be read' }] } : readPlaybook(bytes, file, baseName(file));
    if ('issues' in result) issues.push(...result.issues);
    else playbooks.push(result.playbook);
  }
  if (issues.length > 0) throw new PlaybookLoadError(issues);
  return new PlaybookCatalog(playbooks);
}

/** Validates one playbook file's text; `file` names it in errors, its base name must be `<id>.yaml` and is recorded as `file`. */
export function parsePlaybookYaml(text: string | Uint8Array, file: string): PlaybookDefinition {
  const result = readPlaybook(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, file, baseName(file));
  if ('issues' in result) throw new PlaybookLoadError(result.issues);
  return result.playbook;
}

function readPlaybook(bytes: Uint8Array, file: string, name: string): { playbook: PlaybookDefinition } | { issues: PlaybookIssue[] } {
  const text = Buffer.from(bytes).toString('utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { issues: doc.errors.map((error) => ({ file, line: lineCounter.linePos(error.pos[0]).line, reason: `YAML syntax error: ${firstLine(error.message)}` })) };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { issues: [{ file, reason: `YAML cannot be read: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { issues: [{ file, line: lineOfPath(doc, lineCounter, []), reason: 'a playbook file is a YAML mapping starting with id:, version:, title:, description: and steps:' }] };
  }
  const lineOf: LineOf = (path) => lineOfPath(doc, lineCounter, path);

  const issues: PlaybookIssue[] = [...idMatchesFileName(data, file, name, lineOf)];
  const parsed = playbookSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) issues.push(...parsed.error.issues.flatMap((issue) => toPlaybookIssues(issue, data, file, lineOf)));
  if (issues.length > 0 || !parsed.success) return { issues: sortByLine(issues) };
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  return { playbook: { ...parsed.data, digest, file: name } };
}

/** The playbook id is the file name: one file per playbook, found by id. */
function idMatchesFileName(data: unknown, file: string, name: string, lineOf: LineOf): PlaybookIssue[] {
  if (!PLAYBOOK_FILE.test(name)) return [{ file, reason: `a playbook file is named <id>.yaml, not '${name}'` }];
  const expected = name.replace(PLAYBOOK_FILE, '');
  const withId = z.looseObject({ id: z.string() }).safeParse(data);
  if (!withId.success || withId.data.id === expected) return [];
  return [{ file, line: lineOf(['id']), reason: `id: id '${withId.data.id}' must equal the file name '${expected}'` }];
}

function toPlaybookIssues(issue: z.core.$ZodIssue, data: object, file: string, lineOf: LineOf): PlaybookIssue[] {
  const step = stepIdAt(data, issue.path);
  // Within a step, key paths are relative to the step: `with.scanType`, `target`.
  const relative = (path: readonly PropertyKey[]) => (step !== undefined || isStepPath(path) ? path.slice(2) : path);
  const at = (path: readonly PropertyKey[]): Pick<PlaybookIssue, 'file' | 'line' | 'step'> => ({
    file,
    line: lineOf(path),
    ...(step !== undefined ? { step } : {}),
  });
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ ...at([...issue.path, key]), reason: unknownKeyMessage(playbookSchema, issue.path, key) }));
  }
  const missing = (issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined;
  const message = !missing ? issue.message : issue.code === 'invalid_type' ? `required (${issue.expected})` : `required: ${issue.message}`;
  const keyPath = formatKeyPath(relative(issue.path));
  const where = isStepPath(issue.path) && step === undefined ? `${formatKeyPath(issue.path.slice(0, 2))}${keyPath ? `.${keyPath}` : ''}` : keyPath;
  return [{ ...at(issue.path), reason: where ? `${where}: ${message}` : message }];
}

function isStepPath(path: readonly PropertyKey[]): boolean {
  return path[0] === 'steps' && typeof path[1] === 'number';
}

/** The id the file gives the step an issue path points into, when it has one. */
function stepIdAt(data: object, path: readonly PropertyKey[]): string | undefined {
  if (!isStepPath(path)) return undefined;
  const steps: unknown = Reflect.get(data, 'steps');
  const step: unknown = Array.isArray(steps) && typeof path[1] === 'number' ? steps[path[1]] : undefined;
  const id: unknown = step !== null && typeof step === 'object' ? Reflect.get(step, 'id') : undefined;
  return typeof id === 'string' ? id : undefined;
}
