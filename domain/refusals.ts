/** The refusals the engine's services (API and intake) raise; one middleware maps them to HTTP. Services know nothing of HTTP. */
import { formatPath } from './fieldPath';

export interface FieldIssue {
  /** Where in the input, like `entities.ips[0].address`; `(body)` for the whole body. */
  field: string;
  message: string;
}

/** Thrown when a request's input breaks its schema; lists every issue found. */
export class InvalidInputError extends Error {
  /** `sources`: the validator's own issues, index by index, where they came from zod (the dashboard words them in the reader's language). */
  constructor(
    readonly issues: FieldIssue[],
    readonly sources: readonly unknown[] = [],
  ) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

/** Thrown when a request names a tenant the engine does not serve (R1). */
export class UnknownTenantError extends Error {
  constructor(readonly tenantId: string, readonly field: string) {
    super(`Unknown tenant '${tenantId}'`);
  }
}

/** Thrown when a source is not registered and approved for the tenant (R1). */
export class UnregisteredSourceError extends Error {
  constructor(readonly tenantId: string, readonly source: string, readonly field: string, readonly detail?: string) {
    super(detail ?? `Source '${source}' is not registered for tenant '${tenantId}' (R1: approved sources only)`);
  }
}

/** Thrown when the caller is authenticated but not allowed to do this, or not for this tenant. */
export class ForbiddenError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

/** Thrown when no valid API key was presented. */
export class UnauthenticatedError extends Error {}

/** Thrown when the named resource does not exist or is not visible to the caller. */
export class NotFoundError extends Error {}

/** Thrown when the workflow service cannot be reached; the caller may retry. */
export class EngineUnavailableError extends Error {
  constructor(message: string, readonly accepted: unknown[] = []) {
    super(message);
  }
}

/** zod issues as field issues, for InvalidInputError. */
export function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({ field: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

/** Thrown when a decision does not fit the alert's current state or the caller (a refused Update). */
export class ConflictError extends Error {}

/** Thrown when a package change is requested too late for the wanted date (R16); names the earliest possible date. */
export class PackageChangeTooLateError extends Error {
  constructor(
    message: string,
    readonly earliestEffectiveDate: string,
    /** `option_change_too_late` for an R11 option, which follows the same rule. */
    readonly code: 'package_change_too_late' | 'option_change_too_late' = 'package_change_too_late',
  ) {
    super(message);
  }
}
