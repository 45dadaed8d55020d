/** A timeline entry's text on a page: in the viewer's language where the entry carries a catalogue text, else as recorded. */
import type { TimelineEntry } from '../../domain/alertLifecycle';
import { renderTimelineText } from '../../domain/i18n/timelineText';
import { languageOfView, type DashboardView } from './dashboardLayout';

export function timelineDetail(entry: TimelineEntry, view: DashboardView): string {
  return entry.text ? renderTimelineText(languageOfView(view), entry.text) : entry.detail;
}
