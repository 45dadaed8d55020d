/** docs/service-rules.md explains R1-R20; what it names exists, and the repository points nowhere outside itself. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const rulesPage = readFileSync(join(root, 'docs/service-rules.md'), 'utf8');

/** The page cut into its rule sections, by rule number. */
function ruleSections(): Map<number, string> {
  const sections = new Map<number, string>();
  const parts = rulesPage.split(/^## R(\d+) /m);
  for (let i = 1; i + 1 < parts.length; i += 2) sections.set(Number(parts[i]), parts[i + 1] ?? '');
  return sections;
}

/** Repository paths the text names in backticks (`folder/file.ext`). */
function namedFiles(text: string): string[] {
  return [...text.matchAll(/`([A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)+\.[a-z]+)`/g)].map((match) => match[1] ?? '');
}

function namesRuleInATitle(testFile: string, rule: number): boolean {
  return new RegExp(`\\b(?:it|test|describe)(?:\\.each\\([^)]*\\))?\\(\\s*(['"\`]).*\\bR${rule}\\b`).test(readFileSync(join(root, testFile), 'utf8'));
}

test('docs/service-rules.md explains every rule R1-R20, each with what the contract asks, the engine and its tests', () => {
  const sections = ruleSections();
  expect([...sections.keys()]).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  for (const [rule, text] of sections) {
    for (const part of ['**Contract.**', '**In the engine.**', '**Tests.**']) {
      expect({ rule, has: text.includes(part) ? part : `missing ${part}` }).toEqual({ rule, has: part });
    }
  }
});

test('every file docs/service-rules.md names exists', () => {
  const missing = namedFiles(rulesPage).filter((file) => !existsSync(join(root, file)));
  expect(missing).toEqual([]);
});

test('every test file named under a rule has a test whose title names that rule', () => {
  const withoutTitle: string[] = [];
  for (const [rule, text] of ruleSections()) {
    const tests = namedFiles(text.slice(text.indexOf('**Tests.**'))).filter((file) => file.startsWith('test/'));
    expect({ rule, tests: tests.length > 0 }).toEqual({ rule, tests: true });
    for (const file of tests) if (existsSync(join(root, file)) && !namesRuleInATitle(file, rule)) withoutTitle.push(`R${rule}: ${file}`);
  }
  expect(withoutTitle).toEqual([]);
});

test('no tracked file points outside the repository (a sibling folder or an absolute path of a machine)', () => {
  // Built from parts so that this file does not match itself.
  const outside = [['..', 'shared'].join('/'), ['', 'work', ''].join('/'), ['', 'home', ''].join('/'), ['', 'root', ''].join('/')];
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter((file) => file !== '' && existsSync(join(root, file)));
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'latin1');
    for (const needle of outside) if (text.includes(needle)) found.push(`${file}: ${needle}`);
  }
  expect(found).toEqual([]);
});
