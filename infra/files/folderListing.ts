/** The file names of a configuration folder, as the tenant and playbook readers list them. */
import { readdirSync } from 'node:fs';

/** The names of the folder's files matching `pattern`, in name order; null when the folder cannot be read. */
export function fileNamesIn(dir: string, pattern: RegExp): string[] | null {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && pattern.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return null;
  }
}
