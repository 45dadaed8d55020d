/** The error a refused playbook folder raises: every problem of every file, each with file, line and step. */

export interface PlaybookIssue {
  /** The file as given (relative to the working directory when below it). */
  readonly file: string;
  /** 1-based line of the offending key or value, when the file has one. */
  readonly line?: number;
  /** Id of the step the issue is about, when it is about one. */
  readonly step?: string;
  readonly reason: string;
}

/** Thrown when the playbook folder is missing or empty, or any playbook file in it is unreadable or invalid. */
export class PlaybookLoadError extends Error {
  override readonly name = 'PlaybookLoadError';

  constructor(readonly issues: readonly PlaybookIssue[]) {
    super(issues.map(formatPlaybookIssue).join('\n'));
  }
}

/** `playbooks/compromised-account.yaml:12 step 'disable-user': unknown action 'm365.disable'` */
export function formatPlaybookIssue(issue: PlaybookIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  return issue.step === undefined ? `${where} ${issue.reason}` : `${where} step '${issue.step}': ${issue.reason}`;
}
