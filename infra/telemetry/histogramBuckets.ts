/** Bucket bounds of the worker's business histograms (activities/metrics.ts), installed with the SDK's Prometheus exporter. */

/** Seconds from intake: a few seconds (automatic classification) to a day (a notice after the weekend's service hours). */
const INTAKE_SECONDS_BUCKETS = [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 86_400];

export const INTAKE_HISTOGRAMS = { classification: 'soar_intake_to_classification_seconds', notification: 'soar_intake_to_notification_seconds' } as const;

export const HISTOGRAM_BUCKETS: Record<string, number[]> = Object.fromEntries(Object.values(INTAKE_HISTOGRAMS).map((name) => [name, INTAKE_SECONDS_BUCKETS]));

/** The internal service figures (activities/metrics.ts): seconds in service hours from receipt to claim, recommendation, close. */
export const SERVICE_FIGURES_HISTOGRAM = 'soar_service_hours_to_step_seconds';
HISTOGRAM_BUCKETS[SERVICE_FIGURES_HISTOGRAM] = [60, 300, 900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 16 * 3600, 40 * 3600];
