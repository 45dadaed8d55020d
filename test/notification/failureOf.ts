/** Awaits a promise that must fail with a Temporal ApplicationFailure, and hands the failure back for assertions. */
import { ApplicationFailure } from '@temporalio/common';

export async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const outcome = await promise.then(
    (value: unknown) => ({ failed: false as const, value }),
    (error: unknown) => ({ failed: true as const, error }),
  );
  if (!outcome.failed) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  if (!(outcome.error instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(outcome.error)}`);
  return outcome.error;
}

/** Everything of a failure that reaches the workflow history: message, type and details. */
export function recordedText(failure: ApplicationFailure): string {
  return JSON.stringify({ message: failure.message, type: failure.type, details: failure.details, cause: failure.cause?.message });
}
