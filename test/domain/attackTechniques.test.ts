/**
 * The ATT&CK names on every alert: the full Enterprise technique list of one release, generated from MITRE's STIX data
 * (scripts/generate-attack-techniques.ts), linked to attack.mitre.org, and kept out of the workflow bundle.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ACTIVE_TECHNIQUES, attackTechnique } from '../../domain/attackTechniques';
import { readSource, renderTable, TABLE_FILE, techniqueTable } from '../../scripts/generate-attack-techniques';
import { REPO } from '../support/testEnv';

const committed = JSON.parse(readFileSync(TABLE_FILE, 'utf8')) as { techniques: Record<string, string>; retired: Record<string, string>; source: string };

test('the table is the full Enterprise list: every technique and sub-technique of the release, each sub-technique under its parent', () => {
  // ATT&CK v18.1 Enterprise: 216 techniques and 475 sub-techniques.
  expect(ACTIVE_TECHNIQUES).toBe(691);
  expect(committed.source).toMatch(/^MITRE ATT&CK Enterprise v\d+\.\d+/);
  for (const [id, name] of Object.entries(committed.techniques)) {
    expect(id).toMatch(/^T\d{4}(\.\d{3})?$/);
    if (!id.includes('.')) continue;
    const parent = committed.techniques[id.slice(0, 5)];
    expect([id, parent === undefined]).toEqual([id, false]);
    expect(name.startsWith(`${parent}: `)).toBe(true);
  }
});

test("the documented Microsoft example's technique and techniques the old hand-written table lacked have their names and links", () => {
  expect(attackTechnique('T1564.001')).toEqual({ id: 'T1564.001', name: 'Hide Artifacts: Hidden Files and Directories', url: 'https://attack.mitre.org/techniques/T1564/001/' });
  expect(attackTechnique('T1055.011')).toMatchObject({ name: 'Process Injection: Extra Window Memory Injection', url: 'https://attack.mitre.org/techniques/T1055/011/' });
  expect(attackTechnique('T1021')).toMatchObject({ name: 'Remote Services' });
  // Revoked ids an older alert may carry keep their last name; an unknown id keeps its link.
  expect(attackTechnique('T1086')).toMatchObject({ name: 'PowerShell' });
  expect(attackTechnique('T9999')).toEqual({ id: 'T9999', name: null, url: 'https://attack.mitre.org/techniques/T9999/' });
});

test('the generator reads real MITRE STIX objects into exactly the committed entries', () => {
  const sample = techniqueTable(readSource(join(REPO, 'test/fixtures/attack/cti-v18.1-sample.json')));
  expect(Object.keys(sample.techniques).sort()).toEqual(['T1003', 'T1003.001', 'T1059', 'T1059.001', 'T1564', 'T1564.001']);
  for (const [id, name] of Object.entries(sample.techniques)) expect([id, name]).toEqual([id, committed.techniques[id]]);
  expect(sample.retired).toEqual({ T1086: committed.retired['T1086'] });
  // The file is the generator's rendering: regenerating from the same source changes nothing but what the source changes.
  expect(renderTable(committed, committed.source.replace(/^MITRE ATT&CK Enterprise (\S+),.*$/, '$1'))).toBe(readFileSync(TABLE_FILE, 'utf8'));
});

test('`npm run generate:attack` writes the table from a source, and `--check` fails on a table the source does not give', () => {
  const dir = mkdtempSync(join(tmpdir(), 'soar-attack-'));
  try {
    const out = join(dir, 'techniques.json');
    const fixture = join(REPO, 'test/fixtures/attack/cti-v18.1-sample.json');
    execFileSync('npm', ['run', '--silent', 'generate:attack', '--', fixture, `--out=${out}`], { cwd: REPO, stdio: 'pipe' });
    expect(readFileSync(out, 'utf8')).toBe(renderTable(techniqueTable(readSource(fixture)), 'v18.1'));
    const check = spawnSync('npm', ['run', '--silent', 'generate:attack', '--', fixture, `--out=${TABLE_FILE}`, '--check'], { cwd: REPO, encoding: 'utf8' });
    expect(check.status).not.toBe(0);
    expect(check.stderr).toContain('differs from');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every ATT&CK technique the starter detection rules tag has its name', () => {
  const tags = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) for (const m of readFileSync(path, 'utf8').matchAll(/attack\.(t\d{4}(?:\.\d{3})?)\b/g)) tags.add((m[1] ?? '').toUpperCase());
    }
  };
  walk(join(REPO, 'detection/rules'));
  expect(tags.size).toBeGreaterThan(0);
  expect([...tags].filter((id) => attackTechnique(id).name === null)).toEqual([]);
});

test('the table never reaches the workflow bundle: no module the workflows import reads it', () => {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.ts')) return;
    for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export) (?!type )[^;]*? from '(\.[^']+)'/gm)) {
      const target = resolve(dirname(file), m[1] ?? '');
      for (const candidate of [`${target}.ts`, `${target}/index.ts`, target]) {
        try {
          readFileSync(candidate);
          visit(candidate);
          break;
        } catch {
          // not this form of the path
        }
      }
    }
  };
  visit(join(REPO, 'workflows/index.ts'));
  expect(seen.size).toBeGreaterThan(20);
  expect([...seen].filter((file) => file.includes('attackTechniques') || file.includes('enterpriseTechniques'))).toEqual([]);
});
