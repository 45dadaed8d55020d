/**
 * The console's two forms (SOAR_LOG_FORMAT): `json` for production (one JSON object per line, secrets redacted) and
 * `text` for a person at `npm start` (one readable line per event: time, level, message, fields as name=value; a
 * multi-line message shows its first line). Run in a child process because both write to the process's stderr.
 */
import { spawnSync } from 'node:child_process';
import { REPO } from '../support/testEnv';

function logWith(format: 'json' | 'text'): string[] {
  const script = `
    const { configureLogging, logLine, logError } = require('./infra/logger');
    configureLogging('info', '${format}');
    logLine('info', 'alert received', { tenantId: 'mueller-logistik', alertId: 'alert.mueller-logistik.edr.1', token: 'do-not-print' });
    logLine('warn', 'bundle report\\n  ./workflows/index.ts 1 KiB\\n  modules by path', { size: '4.2MB' });
    logError('delivery failed', new Error('smtp down'));
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO, encoding: 'utf8' });
  expect(child.status).toBe(0);
  return child.stderr.split('\n').filter((line) => line !== '');
}

test('SOAR_LOG_FORMAT=json: one JSON object per line with time, level, message and fields; secrets redacted', () => {
  const lines = logWith('json').map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatchObject({ level: 'info', message: 'alert received', tenantId: 'mueller-logistik', alertId: 'alert.mueller-logistik.edr.1', token: '[redacted]' });
  expect(lines[0]?.['time']).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/));
  expect(lines[2]).toMatchObject({ level: 'error', message: 'delivery failed', error: 'Error: smtp down' });
});

test('SOAR_LOG_FORMAT=text: one readable line per event, fields as name=value, a long message cut to its first line', () => {
  const lines = logWith('text');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^\[\d{2}:\d{2}:\d{2}\] INFO: alert received tenantId=mueller-logistik alertId=alert\.mueller-logistik\.edr\.1 token=\[redacted\]$/);
  expect(lines[1]).toMatch(/^\[\d{2}:\d{2}:\d{2}\] WARN: bundle report size=4\.2MB$/);
  expect(lines[2]).toMatch(/^\[\d{2}:\d{2}:\d{2}\] ERROR: delivery failed error=Error: smtp down$/);
  expect(lines.join('\n')).not.toContain('do-not-print');
});
