/** A Temporal metric meter that records every counter add and histogram record, for MockActivityEnvironment. */
import { noopMetricMeter, type MetricMeter, type MetricTags } from '@temporalio/common';

export interface Recorded {
  name: string;
  value: number;
  tags: MetricTags;
}

export function recordingMeter(): { meter: MetricMeter; recorded: Recorded[]; of(name: string): Recorded[] } {
  const recorded: Recorded[] = [];
  const record = (name: string) => (value: number, tags: MetricTags = {}) => void recorded.push({ name, value, tags });
  const meter: MetricMeter = {
    createCounter: (name, unit, description) => ({ ...noopMetricMeter.createCounter(name, unit, description), add: record(name) }),
    createHistogram: (name, valueType, unit, description) => ({ ...noopMetricMeter.createHistogram(name, valueType, unit, description), record: record(name) }),
    createGauge: (...args) => noopMetricMeter.createGauge(...args),
    withTags: () => meter,
  };
  return { meter, recorded, of: (name) => recorded.filter((r) => r.name === name) };
}
