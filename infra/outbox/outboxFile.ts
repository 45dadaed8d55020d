/** The embedded set-up's outbox file (JSON Lines, one message a line): written by the message sinks, read by the dashboard. */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { LANGUAGES } from '../../domain/i18n/language';

export const outboxEntrySchema = z.strictObject({
  at: z.iso.datetime(),
  channel: z.enum(['email', 'sms', 'voice']),
  recipient: z.string(),
  /** The language the engine declared (Content-Language, the phone API's `language`); null for the SOC's internal pages. */
  language: z.enum(LANGUAGES).nullable(),
  subject: z.string().nullable(),
  text: z.string(),
});
export type OutboxEntry = z.output<typeof outboxEntrySchema>;

/** The newest `limit` messages first; a line that does not parse (a write cut short) is skipped. */
export function readOutbox(file: string, limit: number): OutboxEntry[] {
  if (!existsSync(file)) return [];
  const entries: OutboxEntry[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let index = lines.length - 1; index >= 0 && entries.length < limit; index -= 1) {
    const line = lines[index]?.trim();
    if (!line) continue;
    try {
      const parsed = outboxEntrySchema.safeParse(JSON.parse(line));
      if (parsed.success) entries.push(parsed.data);
    } catch {
      // a partly written last line: skipped
    }
  }
  return entries;
}
