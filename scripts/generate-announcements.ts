/**
 * Writes config/announcements/{de,en}/*.wav, the recorded announcements of sipgate escalation calls, from the message
 * catalogues: spoken by eSpeak NG (the npm package `espeak-ng`, WebAssembly, no native build, a devDependency, so no
 * GPL code reaches the image) and resampled by `wavefile` to the format sipgate documents for Play: mono 16-bit PCM
 * at 8 kHz. The files are generated here, once per text change, and committed: no speech synthesis runs at install,
 * at start or on a call. manifest.json keeps each file's text; test/notification/sipgateVoice.test.ts fails when a
 * catalogue text no longer matches it (run `npm run generate:announcements` then).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { message } from '../domain/i18n/messages';
import { LANGUAGES, type Language } from '../domain/i18n/language';
import { TAKE_INCIDENT_DIGIT } from '../domain/soc/phoneAcknowledgement';
import { ANNOUNCEMENTS_DIR, ANNOUNCEMENT_NAMES, ANNOUNCEMENT_TEXT, type AnnouncementName } from '../api/phoneCallbacks/announcements';

/** eSpeak NG's voices for the engine's languages. */
const VOICES: Readonly<Record<Language, string>> = { de: 'de', en: 'en-gb' };
export const MANIFEST_FILE = 'manifest.json';

export function announcementText(language: Language, name: AnnouncementName): string {
  return ANNOUNCEMENT_TEXT[name].map((key) => message(language, key, { digit: TAKE_INCIDENT_DIGIT })).join(' ');
}

export function announcementManifest(): Record<Language, Record<AnnouncementName, string>> {
  const entries = LANGUAGES.map((language) => [language, Object.fromEntries(ANNOUNCEMENT_NAMES.map((name) => [name, announcementText(language, name)]))]);
  return Object.fromEntries(entries) as Record<Language, Record<AnnouncementName, string>>;
}

async function speak(language: Language, text: string): Promise<Uint8Array> {
  // An ES module: loaded at run time from this CommonJS script.
  const { default: ESpeakNg } = await import('espeak-ng');
  const espeak = await ESpeakNg({ arguments: ['-v', VOICES[language], '-s', '150', '-w', '/announcement.wav', text] });
  const wav = new WaveFile();
  wav.fromBuffer(espeak.FS.readFile('/announcement.wav'));
  wav.toSampleRate(8000, { method: 'sinc' });
  return wav.toBuffer();
}

async function main(): Promise<void> {
  const manifest = announcementManifest();
  for (const language of LANGUAGES) {
    mkdirSync(join(ANNOUNCEMENTS_DIR, language), { recursive: true });
    for (const name of ANNOUNCEMENT_NAMES) {
      const file = join(ANNOUNCEMENTS_DIR, language, `${name}.wav`);
      writeFileSync(file, await speak(language, manifest[language][name]));
      process.stdout.write(`wrote ${file}\n`);
    }
  }
  writeFileSync(join(ANNOUNCEMENTS_DIR, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
