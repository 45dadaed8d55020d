/** The error a refused rule file raises: which file, why, and where in it. */

/** Thrown when a rule file cannot be read, is not one valid YAML document, breaks the Sigma schema, cannot be compiled, or repeats a rule id. */
export class RuleFileError extends Error {
  override readonly name = 'RuleFileError';
  /** 1-based line of the offending key, value or syntax error, when known. */
  readonly line: number | undefined;
  /** Key path like `detection.selection.Image|contains`; empty for the file as a whole. */
  readonly path: string;

  constructor(
    readonly file: string,
    readonly reason: string,
    location: { line?: number | undefined; path?: string | undefined } = {},
  ) {
    const where = location.line === undefined ? file : `${file}:${location.line}`;
    super(location.path ? `${where} ${location.path}: ${reason}` : `${where} ${reason}`);
    this.line = location.line;
    this.path = location.path ?? '';
  }
}

/** `['detection', 'sel', 'Image|endswith', 1]` → `detection.sel.Image|endswith[1]` */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}
