/** A workflow that holds a large array until it is released: it fills a workflow thread's heap in a test. */
import { condition, defineSignal, setHandler } from '@temporalio/workflow';

export const release = defineSignal('release');

export async function memoryHungryWorkflow(mib: number): Promise<number> {
  // Doubles in a packed array: 8 bytes each, 131,072 per MiB.
  const held = Array.from({ length: mib * 131_072 }, (_, i) => i + 0.5);
  let released = false;
  setHandler(release, () => {
    released = true;
  });
  await condition(() => released);
  return held.length;
}
