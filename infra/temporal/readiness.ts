/** Polls a Temporal frontend until it answers for a namespace: the SDK's own 5 s wait is too short on 2 cores. */
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ReadinessTarget {
  address: string;
  namespace: string;
  timeoutMs: number;
  /** Connection options besides the address (mTLS), made anew for each try. */
  connection?: () => Omit<ConnectionOptions, 'address'>;
  /** The server process's failure once it has exited: the wait ends with it instead of polling on. */
  exited?: () => Error | undefined;
}

export async function waitForTemporal(target: ReadinessTarget): Promise<void> {
  const deadline = Date.now() + target.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const exited = target.exited?.();
    if (exited) throw exited;
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ ...target.connection?.(), address: target.address, connectTimeout: 2_000 });
      await connection.workflowService.describeNamespace({ namespace: target.namespace });
      return;
    } catch (error) {
      lastError = error;
      await sleep(250);
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`Temporal at ${target.address} did not answer for namespace '${target.namespace}' within ${target.timeoutMs} ms: ${reason}`);
}
