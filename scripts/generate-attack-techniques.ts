/**
 * Writes domain/attack/enterpriseTechniques.json, the Enterprise ATT&CK technique names the dashboard and the API show,
 * from MITRE's own STIX data: a checkout of github.com/mitre/cti (its `enterprise-attack/attack-pattern/*.json`) or
 * an `enterprise-attack.json` bundle (mitre/cti or mitre-attack/attack-stix-data). No npm package carries this data
 * (README, "What an alert is about"), so the table is generated once per ATT&CK release and committed; `--check` compares the
 * committed table with the source instead of writing it.
 *
 *   npm run generate:attack -- /path/to/cti [--check]
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const TABLE_FILE = join(__dirname, '..', 'domain', 'attack', 'enterpriseTechniques.json');

const externalReference = z.looseObject({ source_name: z.string(), external_id: z.string().optional() });
const attackPattern = z.looseObject({
  type: z.literal('attack-pattern'),
  name: z.string().min(1),
  external_references: z.array(externalReference).default([]),
  revoked: z.boolean().optional(),
  x_mitre_deprecated: z.boolean().optional(),
  x_mitre_domains: z.array(z.string()).optional(),
});
const stixObject = z.looseObject({ type: z.string() });

export interface TechniqueTable {
  /** Active techniques and sub-techniques: id → name (`Parent: Sub` for a sub-technique, as attack.mitre.org titles it). */
  techniques: Record<string, string>;
  /** Revoked or deprecated ids, still named where an older alert carries them. */
  retired: Record<string, string>;
}

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

/** The table from STIX objects (any order; objects that are no Enterprise attack-pattern are ignored). */
export function techniqueTable(objects: readonly unknown[]): TechniqueTable {
  const found = new Map<string, { name: string; retired: boolean }>();
  for (const object of objects) {
    if (stixObject.parse(object).type !== 'attack-pattern') continue;
    const pattern = attackPattern.parse(object);
    if (pattern.x_mitre_domains && !pattern.x_mitre_domains.includes('enterprise-attack')) continue;
    const id = pattern.external_references.find((r) => r.source_name === 'mitre-attack')?.external_id;
    if (!id || !TECHNIQUE_ID.test(id)) continue;
    const retired = pattern.revoked === true || pattern.x_mitre_deprecated === true;
    const previous = found.get(id);
    // An id revoked in one object and live in another (a move): the live one wins.
    if (!previous || (previous.retired && !retired)) found.set(id, { name: pattern.name, retired });
  }
  const table: TechniqueTable = { techniques: {}, retired: {} };
  for (const id of [...found.keys()].sort()) {
    const entry = found.get(id);
    if (!entry) continue;
    const parent = id.includes('.') ? found.get(id.slice(0, 5)) : undefined;
    const name = parent ? `${parent.name}: ${entry.name}` : entry.name;
    (entry.retired ? table.retired : table.techniques)[id] = name;
  }
  return table;
}

/** The STIX objects of a mitre/cti checkout (one file per object) or of a bundle file. */
export function readSource(path: string): unknown[] {
  const bundle = (file: string) => z.looseObject({ objects: z.array(z.unknown()) }).parse(JSON.parse(readFileSync(file, 'utf8'))).objects;
  if (statSync(path).isFile()) return bundle(path);
  const folder = join(path, 'enterprise-attack', 'attack-pattern');
  if (!existsSync(folder)) throw new Error(`${path}: neither a bundle file nor a mitre/cti checkout (no enterprise-attack/attack-pattern folder)`);
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => bundle(join(folder, name)));
}

export const NOTICE = '© The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation (ATT&CK terms of use).';

export function renderTable(table: TechniqueTable, release: string): string {
  return `${JSON.stringify({ notice: NOTICE, source: `MITRE ATT&CK Enterprise ${release}, STIX attack-pattern objects (github.com/mitre/cti)`, generatedBy: 'scripts/generate-attack-techniques.ts', ...table }, null, 1)}\n`;
}

function main(): void {
  const [path, ...flags] = process.argv.slice(2);
  const option = (name: string) => flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);
  const release = option('release') ?? 'v18.1';
  const out = option('out') ?? TABLE_FILE;
  if (!path) throw new Error('usage: npm run generate:attack -- <mitre/cti checkout or enterprise-attack.json> [--release=v18.1] [--out=file] [--check]');
  const rendered = renderTable(techniqueTable(readSource(path)), release);
  if (flags.includes('--check')) {
    if (readFileSync(out, 'utf8') !== rendered) throw new Error(`${out} differs from ${path}: run without --check to regenerate`);
    process.stdout.write(`${out} matches ${path}\n`);
    return;
  }
  writeFileSync(out, rendered);
  process.stdout.write(`wrote ${out}\n`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
