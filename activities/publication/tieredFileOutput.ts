/** The per-tenant file output, tiered by severity: one JSON Lines file per severity, appended to, never rewritten. */
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertStatus } from '../../domain/alertLifecycle';

/** The file an alert of this tenant and severity goes to, relative to the output folder. */
export function tierFile(tenantId: string, severity: string): string {
  return join(tenantId, `alerts-${severity}.jsonl`);
}

export class TieredFileOutput {
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
    await appendFile(join(this.rootDir, relative), `${JSON.stringify(line)}\n`, { encoding: 'utf8', flag: 'a' });
    return relative;
  }
}
