/** The error of a rule whose detection passes the schema but cannot be compiled. */

/** Thrown when a detection has a bad modifier, value, regular expression, CIDR range or condition; `path` points into the rule. */
export class RuleDefinitionError extends Error {
  override readonly name = 'RuleDefinitionError';
  constructor(
    readonly path: readonly (string | number)[],
    readonly reason: string,
  ) {
    super(reason);
  }
}
