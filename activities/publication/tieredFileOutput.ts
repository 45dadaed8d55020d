/** The per-tenant file output, tiered by severity: one JSON Lines file per severity, appended to; rewritten only by the R14 purge. */
import { appendFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { AlertStatus } from '../../domain/alertLifecycle';

/** The file an alert of this tenant and severity goes to, relative to the output folder. */
export function tierFile(tenantId: string, severity: string): string {
  return join(tenantId, `alerts-${severity}.jsonl`);
}

export class TieredFileOutput {
  /** Appends and purge rewrites of one file, in order: a line appended during a rewrite would be lost with the old file. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly rootDir: string) {}

  /** Appends one line; returns the file's path relative to the output folder. */
  async append(status: AlertStatus, publishedAt: string): Promise<string> {
    if (!status.severity || !status.classification) throw new Error(`alert ${status.alertId} is not classified yet`);
    const relative = tierFile(status.tenantId, status.severity);
    const line = {
      alertId: status.alertId,
      publishedAt,
      severity: status.severity,
      title: status.title,
      source: status.source,
      externalId: status.externalId,
      observedAt: status.observedAt,
      receivedAt: status.receivedAt,
      decidedBy: status.classification.decidedBy,
      matchedRules: status.classification.matchedRules,
    };
    await mkdir(join(this.rootDir, status.tenantId), { recursive: true });
    // One write call per line with O_APPEND: concurrent publishers never interleave inside a line.
    const path = join(this.rootDir, relative);
    await this.exclusive(path, () => appendFile(path, `${JSON.stringify(line)}\n`, { encoding: 'utf8', flag: 'a' }));
    return relative;
  }

  /**
   * R14: removes the tenant's lines of alerts received before `receivedBefore`, except the alerts in `keepAlertIds`
   * (still open). A file is rewritten atomically (temp file, then rename) and only when a line goes; a file left
   * empty is deleted. A line that is not JSON is a torn write from a crash (its alert's line was written again on
   * retry) and goes too. Returns how many lines went.
   */
  async purgeTenant(tenantId: string, receivedBefore: string, keepAlertIds: readonly string[] = []): Promise<{ fileLines: number }> {
    const dir = join(this.rootDir, tenantId);
    const files = await listFiles(dir);
    const keep = new Set(keepAlertIds);
    let removed = 0;
    for (const name of files.filter((f) => /^alerts-[a-z]+\.jsonl$/.test(f))) {
      const path = join(dir, name);
      removed += await this.exclusive(path, async () => {
        const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.length > 0);
        const kept = lines.filter((l) => isKept(l, receivedBefore, keep));
        if (kept.length === lines.length) return 0;
        if (kept.length === 0) {
          await rm(path, { force: true });
        } else {
          const temp = `${path}.purge-${process.pid}.tmp`;
          await writeFile(temp, kept.map((l) => `${l}\n`).join(''), 'utf8');
          await rename(temp, path);
        }
        return lines.length - kept.length;
      });
    }
    return { fileLines: removed };
  }

  /** How many lines the tenant's files hold (R14 checks). */
  async lineCount(tenantId: string): Promise<number> {
    const dir = join(this.rootDir, tenantId);
    const files = await listFiles(dir);
    let total = 0;
    for (const name of files.filter((f) => f.endsWith('.jsonl'))) {
      total += (await readFile(join(dir, name), 'utf8')).split('\n').filter((l) => l.length > 0).length;
    }
    return total;
  }

  private exclusive<T>(path: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(path) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(path, settled);
    void settled.then(() => {
      if (this.queues.get(path) === settled) this.queues.delete(path);
    });
    return next;
  }
}

/** The two fields of a line the purge judges by; the rest of the line is not its business. */
const datedLine = z.object({ alertId: z.string(), receivedAt: z.string() });

function isKept(line: string, receivedBefore: string, keep: ReadonlySet<string>): boolean {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return false;
  }
  const parsed = datedLine.safeParse(json);
  if (!parsed.success) return false;
  return keep.has(parsed.data.alertId) || parsed.data.receivedAt >= receivedBefore;
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return [];
    throw error;
  }
}
