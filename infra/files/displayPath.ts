/** How a file is named in error messages. */
import { isAbsolute, relative } from 'node:path';

/** Relative to the working directory when the file is below it, so messages read `config/tenants/acme.yaml`. */
export function displayPath(file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
