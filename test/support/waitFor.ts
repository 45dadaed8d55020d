/** Polls until a condition holds, failing with the last value seen: for eventually consistent reads, not timing. */
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await sleep(100);
  }
  throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 2000)}`);
}
