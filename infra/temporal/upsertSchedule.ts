/** Creates a Temporal Schedule, or brings an existing one up to date (keeping its paused state): safe on every start. */
import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';

export async function upsertSchedule(client: Client, scheduleId: string, definition: Omit<ScheduleOptions, 'scheduleId'>): Promise<void> {
  try {
    await client.schedule.create({ scheduleId, ...definition });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, ...definition, state: { ...previous.state } }));
  }
}
