/**
 * A Temporal Schedule that starts one workflow at fixed calendar times (the R14 purge, the R15 fair-use check, the R4
 * leak checks): runs never overlap, a missed run is caught up within a day. Created at worker start; when it exists
 * already, its spec and input are brought up to date (keeping its paused state).
 */
import { ScheduleOverlapPolicy, type CalendarSpec, type Client, type ScheduleOptions } from '@temporalio/client';
import { upsertSchedule } from './upsertSchedule';

export interface CalendarScheduleSpec {
  readonly calendars: readonly CalendarSpec[];
  readonly timezone: string;
}

export interface CalendarWorkflowSchedule<Input> {
  client: Client;
  scheduleId: string;
  spec: CalendarScheduleSpec;
  workflowType: string;
  /** The id each started run's workflow id begins with (Temporal appends the start time). */
  workflowId: string;
  taskQueue: string;
  input: Input;
}

export async function ensureCalendarSchedule<Input>({ client, scheduleId, spec, workflowType, workflowId, taskQueue, input }: CalendarWorkflowSchedule<Input>): Promise<void> {
  const definition = {
    spec: { calendars: spec.calendars.map((c) => ({ ...c })), timezone: spec.timezone },
    action: { type: 'startWorkflow', workflowType, workflowId, taskQueue, args: [input] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  } satisfies Omit<ScheduleOptions, 'scheduleId'>;
  await upsertSchedule(client, scheduleId, definition);
}
