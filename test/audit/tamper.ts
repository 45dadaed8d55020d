/** Tampering with an exported history for the replay tests: a copy whose first `publishAlert` is scheduled under another activity type. */
export function tamper(history: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(history)) as { events: { activityTaskScheduledEventAttributes?: { activityType?: { name?: string } } }[] };
  const scheduled = copy.events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'publishAlert');
  if (!scheduled?.activityTaskScheduledEventAttributes?.activityType) throw new Error('no publishAlert in this history');
  scheduled.activityTaskScheduledEventAttributes.activityType.name = 'publishAlertElsewhere';
  return copy;
}
