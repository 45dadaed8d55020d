/** Makes a namespace ready for the engine: registered, with its search attributes and the agreed retention (R14). */
import { Connection } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { msToTs } from '@temporalio/common/lib/time';
import { ENGINE_SEARCH_ATTRIBUTES } from '../../domain/searchAttributes';

const DAY_MS = 86_400_000;

export interface NamespaceSetup {
  connection: Connection;
  namespace: string;
  retentionDays: number;
}

export async function prepareNamespace({ connection, namespace, retentionDays }: NamespaceSetup): Promise<void> {
  const retention = msToTs(retentionDays * DAY_MS);
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    // Several workers may start together: the one that registers second finds the namespace there, which is fine.
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: retention }).catch((registering: unknown) => {
      if (!isAlreadyExists(registering)) throw registering;
    });
  }
  // A namespace registered a moment ago is unknown to the frontend until its namespace cache refreshes.
  await untilFound(() => connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: retention } }));
  const existing = await untilFound(() => connection.operatorService.listSearchAttributes({ namespace }));
  const missing = ENGINE_SEARCH_ATTRIBUTES.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length > 0) {
    const searchAttributes = Object.fromEntries(
      missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type) ?? 0]),
    );
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes }).catch(async (adding: unknown) => {
      // Another worker added them at the same moment: fine when they are all there now.
      const now = await connection.operatorService.listSearchAttributes({ namespace });
      if (missing.some((key) => !(key.name in (now.customAttributes ?? {})))) throw adding;
    });
  }
}

async function untilFound<T>(call: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!isNotFound(error) || Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 5;
}

function isAlreadyExists(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 6;
}
