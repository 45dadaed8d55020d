/** Reads the playbook folder (`playbooks/`); what the files say is checked by the pure domain/playbook/loadPlaybooks.ts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAYBOOK_FILE, playbookCatalogOf, PlaybookLoadError, type PlaybookCatalog } from '../../domain/playbook/loadPlaybooks';
import { displayPath } from './displayPath';
import { fileNamesIn } from './folderListing';

/** Every `<id>.yaml` of the folder (other files, like README.md, are ignored); a missing folder is refused. */
export function loadPlaybookDirectory(dir: string): PlaybookCatalog {
  const names = fileNamesIn(dir, PLAYBOOK_FILE);
  if (names === null) throw new PlaybookLoadError([{ file: displayPath(dir), reason: 'the playbook folder cannot be read (is it missing?)' }]);
  return playbookCatalogOf(
    displayPath(dir),
    names.map((name) => ({ file: displayPath(join(dir, name)), bytes: readOrNull(join(dir, name)) })),
  );
}

function readOrNull(path: string): Uint8Array | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}
