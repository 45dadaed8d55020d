/** Minimal structured logging to stderr: one JSON object per line, no secrets or alert bodies passed in. */
export function logLine(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
}

export function logError(message: string, error: unknown): void {
  logLine('error', message, { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}
