/** Whether a failure means Temporal could not be reached: intake answers it 503 (retry), never 2xx. */
import { isGrpcServiceError, ServiceError } from '@temporalio/client';

/**
 * Whether a failed start or signal means Temporal could not be reached or did not acknowledge it: a gRPC error, the
 * client's ServiceError (what `workflow.start` throws once its retries of UNAVAILABLE or RESOURCE_EXHAUSTED are spent),
 * a refused connection or a passed deadline. Intake answers these 503, never 2xx.
 */
export function isEngineUnreachable(error: unknown): boolean {
  if (error instanceof ServiceError || isGrpcServiceError(error)) return true;
  return error instanceof Error && /ECONNREFUSED|UNAVAILABLE|RESOURCE_EXHAUSTED|connect|DEADLINE_EXCEEDED/i.test(error.message);
}
