/** R19: the SOC's on-call directory is checked as text in domain/, read from its file in infra/files, refused with file and line. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOnCallDirectory, resolveOnCallTarget } from '../../domain/soc/onCallDirectory';
import { loadOnCallDirectory } from '../../infra/files/onCallFile';
import { REPO } from '../support/testEnv';

const FILE = 'config/soc/oncall.yaml';

test('R19 the shipped on-call directory reads from its file and resolves an escalation contact to its phone number', () => {
  const directory = loadOnCallDirectory(join(REPO, FILE));
  expect(resolveOnCallTarget(directory, 'acme', 'soc-oncall-1', 'sms')).toBe('+4928219990101');
  expect(directory.management.map((m) => m.email)).toEqual(['soc-leitung@soc-provider.example']);
});

test('R19 refuses a target without a name, naming the file, the line and the key', () => {
  const text = 'targets:\n  - id: soc-oncall-1\n    name: SOC on-call\n  - id: soc-oncall-2\n    phone: "+4928219990102"\n';
  expect(() => parseOnCallDirectory(text, FILE)).toThrow(`${FILE}:4: targets[1].name:`);
});

test('R19 refuses an unknown key on its own line and a YAML syntax error on its line', () => {
  expect(() => parseOnCallDirectory('targets: []\nmanagment:\n  - { name: SOC-Leitung, email: a@b.example }\n', FILE)).toThrow(`${FILE}:2: managment:`);
  expect(() => parseOnCallDirectory('targets: []\ntargets: []\n', FILE)).toThrow(new RegExp(`^${FILE}:2: YAML syntax error`));
  expect(() => parseOnCallDirectory('', FILE)).toThrow(`${FILE}: (root):`);
});

test('a missing on-call file is refused by name, not with the file system error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oncall-'));
  expect(() => loadOnCallDirectory(join(dir, 'oncall.yaml'))).toThrow(`${join(dir, 'oncall.yaml')}: the on-call directory cannot be read`);
  writeFileSync(join(dir, 'oncall.yaml'), 'targets:\n  - { id: x, name: X, phone: "0211 123" }\n');
  expect(() => loadOnCallDirectory(join(dir, 'oncall.yaml'))).toThrow(`${join(dir, 'oncall.yaml')}:2: targets[0].phone:`);
});
