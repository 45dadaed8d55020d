/** Stops the Temporal server that globalSetup started. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__soarTestServer?.stop();
  globalThis.__soarTestServer = undefined;
}
