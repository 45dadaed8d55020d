/**
 * The SOC's recorded phone announcements for sipgate calls (sipgate.io plays audio files; it has no text-to-speech):
 * one WAV per language and answer, in the format sipgate documents for Play (mono, 16-bit PCM, 8 kHz), generated from
 * the message catalogues by scripts/generate-announcements.ts. The manifest beside them keeps the text each file says,
 * so a test sees a file gone stale when its catalogue text changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHONE_CALLBACK_PATH } from '../../activities/notification/phoneCallbacks';
import { LANGUAGES, type Language } from '../../domain/i18n/language';

export const ANNOUNCEMENT_NAMES = ['takeIncident', 'taken', 'notTaken', 'noInput'] as const;
export type AnnouncementName = (typeof ANNOUNCEMENT_NAMES)[number];

/** Relative to the working directory, like config/soc (the image copies it there). */
export const ANNOUNCEMENTS_DIR = 'config/announcements';

/** The catalogue keys each announcement says, in order. */
export const ANNOUNCEMENT_TEXT: Readonly<Record<AnnouncementName, readonly string[]>> = {
  takeIncident: ['phoneCall.announcement', 'phoneCall.takeIncident'],
  taken: ['phoneCall.taken'],
  notTaken: ['phoneCall.notTaken'],
  noInput: ['phoneCall.noInput'],
};

export function announcementPath(language: Language, name: AnnouncementName): string {
  return `${PHONE_CALLBACK_PATH}/sipgate/announcements/${language}/${name}.wav`;
}

export type Announcements = ReadonlyMap<string, Buffer>;

/** Reads every announcement at start: a missing file stops the API with its name, never a silent call. */
export function loadAnnouncements(dir = ANNOUNCEMENTS_DIR): Announcements {
  const files = new Map<string, Buffer>();
  for (const language of LANGUAGES) {
    for (const name of ANNOUNCEMENT_NAMES) {
      const file = join(dir, language, `${name}.wav`);
      try {
        files.set(announcementPath(language, name), readFileSync(file));
      } catch {
        throw new Error(`The sipgate announcement ${file} is missing: run npm run generate:announcements (sipgate calls play recorded audio)`);
      }
    }
  }
  return files;
}
