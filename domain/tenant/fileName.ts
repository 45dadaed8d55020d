/** File names as the domain sees them: text, never the file system (the files are read in infra/files). */

/** The last part of a `/`-separated path: `config/tenants/acme.yaml` → `acme.yaml`. */
export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** The base name without its extension: `config/tenants/acme.yaml` → `acme`. */
export function stemOf(file: string): string {
  const name = baseName(file);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
