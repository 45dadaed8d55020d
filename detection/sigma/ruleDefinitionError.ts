/** The error of a rule whose detection passes the schema but cannot be compiled. */

/** Where in a rule: keys and list indexes from the top, e.g. `['detection', 'sel', 'Image|endswith', 1]`. */
export type RulePath = readonly (string | number)[];

/** Thrown when a detection has a bad modifier, value, regular expression, CIDR range or condition; `path` points into the rule. */
export class RuleDefinitionError extends Error {
  override readonly name = 'RuleDefinitionError';
  constructor(
    readonly path: RulePath,
    readonly reason: string,
  ) {
    super(reason);
  }
}
