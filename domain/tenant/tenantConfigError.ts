/** The error a refused tenant file raises: every problem of the file, each with key path and line. */

export interface TenantIssue {
  /** Key path like `contacts[1].email`; empty for the file as a whole. */
  readonly path: string;
  /** 1-based line of the offending key or value, when the file has one. */
  readonly line: number | undefined;
  readonly message: string;
}

/** Thrown when a tenant file cannot be read, is not valid YAML, or breaks the tenant schema or the service rules. */
export class TenantConfigError extends Error {
  override readonly name = 'TenantConfigError';
  /** Path and line of the first issue, for callers that show one. */
  readonly path: string;
  readonly line: number | undefined;
  readonly reason: string;

  constructor(
    /** The file as given (the file readers in infra/files give it relative to the working directory when below it). */
    readonly file: string,
    readonly issues: readonly TenantIssue[],
  ) {
    super(issues.map((issue) => formatIssue(file, issue)).join('\n'));
    this.path = issues[0]?.path ?? '';
    this.line = issues[0]?.line;
    this.reason = issues[0]?.message ?? 'invalid';
  }
}

/** `config/tenants/acme.yaml:14 contacts[1].email: Invalid email address` */
export function formatIssue(file: string, issue: TenantIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}`;
  return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where} ${issue.message}`;
}

/** `['contacts', 1, 'email']` → `contacts[1].email` */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}
