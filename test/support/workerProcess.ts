/** The production worker entry (`engine/workerProcess.ts`) as a separate OS process a test can kill (test/support/engineProcess.ts). */
import { startEngineProcess, type EngineProcess } from './engineProcess';

export type WorkerProcess = EngineProcess;

export function startWorkerProcess(env: Record<string, string>, readyTimeoutMs = 120_000): Promise<WorkerProcess> {
  return startEngineProcess({ entry: 'engine/workerProcess.ts', readyWhen: '"worker running"', env, readyTimeoutMs });
}

/** The production API entry (`engine/apiProcess.ts`); its address is in the `API listening` line. */
export async function startApiProcess(env: Record<string, string>, readyTimeoutMs = 120_000): Promise<EngineProcess & { url: string }> {
  const api = await startEngineProcess({ entry: 'engine/apiProcess.ts', readyWhen: '"API listening"', env, readyTimeoutMs });
  const url = /"url":"(http:\/\/[^"]+)"/.exec(api.output())?.[1];
  if (!url) throw new Error(`the API process did not say where it listens:\n${api.output().slice(-2000)}`);
  return { ...api, url };
}
