/**
 * Reads histories from files for replay: one history as `temporal workflow show -o json` prints it (the workflow
 * id is then the file name without `.json`), one `{ workflowId, history }`, or the audit API's export answer
 * (`{ alertId, histories: [...] }`). A folder means every `.json` file in it, sorted by name.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { ReplayInput } from './replayer';

const bareHistory = z.looseObject({ events: z.array(z.looseObject({ eventType: z.string() })).min(1) });
const wrapped = z.looseObject({ workflowId: z.string().min(1), history: bareHistory });
const exported = z.looseObject({ histories: z.array(wrapped).min(1) });

/** A history to replay and where it came from (`file` or `file#workflowId`). */
export interface LabelledHistory extends ReplayInput {
  source: string;
}

/** Thrown when a history file cannot be read or is not a history; names the file. */
export class HistoryFileError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
  }
}

export function readHistoryFile(file: string): LabelledHistory[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new HistoryFileError(file, error instanceof Error ? error.message : String(error));
  }
  const asExport = exported.safeParse(json);
  if (asExport.success) return asExport.data.histories.map((h) => ({ workflowId: h.workflowId, history: h.history, source: `${file}#${h.workflowId}` }));
  const asWrapped = wrapped.safeParse(json);
  if (asWrapped.success) return [{ workflowId: asWrapped.data.workflowId, history: asWrapped.data.history, source: file }];
  const asBare = bareHistory.safeParse(json);
  if (asBare.success) return [{ workflowId: basename(file).replace(/\.json$/i, ''), history: asBare.data, source: file }];
  throw new HistoryFileError(file, 'not a Temporal history, a { workflowId, history } or an audit export');
}

/** The `.json` files a path names: itself, or those in a folder (not recursive), sorted. */
export function historyFilesAt(path: string): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new HistoryFileError(path, 'no such file or folder');
  }
  if (!stats.isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.toLowerCase().endsWith('.json'))
    .sort()
    .map((name) => join(path, name));
}
