/** A playbook file that breaks the schema or the rules across steps is refused with file, line, step and a reason (R8). */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { parsePlaybookYaml, PlaybookCatalog, PlaybookLoadError } from '../../domain/playbook/loadPlaybooks';
import { loadPlaybookDirectory } from '../../infra/files/playbookFiles';
import { PLAYBOOK_JSON_SCHEMA_FILE, playbookJsonSchemaText } from '../../domain/playbook/playbookJsonSchema';

const REPO = join(__dirname, '../..');
const FILE = 'playbooks/contain.yaml';

/** A valid playbook; line numbers matter to the tests (line 1 is `id:`). */
const VALID = `id: contain
version: 3
title: Contain
description: Find the machine, isolate it, comment on the alert.
steps:
  - id: find
    action: defender.findMachine
    target: { alert: hosts }
  - id: isolate
    action: defender.isolateDevice
    target: { step: find, output: machine }
  - id: comment
    action: m365.commentAlert
    target: { alert: source }
    after: [isolate]
`;

/** Replaces exactly one occurrence, so a fixture edit cannot silently miss. */
function edit(text: string, search: string, replacement: string): string {
  const at = text.indexOf(search);
  if (at < 0 || text.indexOf(search, at + 1) >= 0) throw new Error(`'${search}' must occur exactly once`);
  return text.slice(0, at) + replacement + text.slice(at + search.length);
}

function refusalOf(text: string, file = FILE): PlaybookLoadError {
  try {
    parsePlaybookYaml(text, file);
  } catch (error) {
    if (error instanceof PlaybookLoadError) return error;
    throw error;
  }
  throw new Error('expected the playbook to be refused, but it was accepted');
}

function directory(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'soar-playbooks-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('playbook loader', () => {
  test('a valid playbook gives the definition: titles, params with defaults, digest of the bytes, file name', () => {
    const playbook = parsePlaybookYaml(VALID, FILE);
    expect(playbook).toMatchObject({ id: 'contain', version: 3, file: 'contain.yaml', title: 'Contain' });
    expect(playbook.digest).toBe(`sha256:${createHash('sha256').update(VALID).digest('hex')}`);
    expect(playbook.steps.map((s) => s.id)).toEqual(['find', 'isolate', 'comment']);
    expect(playbook.steps[1]).toEqual({
      id: 'isolate',
      action: 'defender.isolateDevice',
      title: 'Isolate the device from the network (Defender for Endpoint)',
      target: { step: 'find', output: 'machine' },
      subject: null,
      params: { isolationType: 'Full' },
      after: [],
      requiresApproval: false,
      undoOnFailure: false,
    });
  });

  test('steps come in dependency order, otherwise in file order; a later step may be referred to', () => {
    const text = `id: contain
version: 1
title: Contain
description: Out of order.
steps:
  - id: comment
    action: m365.commentAlert
    target: { alert: source }
    after: [isolate]
  - id: disable
    action: m365.disableUser
    target: { alert: users }
  - id: isolate
    action: defender.isolateDevice
    target: { step: find, output: machine }
  - id: find
    action: defender.findMachine
    target: { alert: hosts }
`;
    expect(parsePlaybookYaml(text, FILE).steps.map((s) => s.id)).toEqual(['disable', 'find', 'isolate', 'comment']);
  });

  test('R8 an unknown action is refused with file, line, step and the known actions', () => {
    const error = refusalOf(edit(VALID, 'action: defender.isolateDevice', 'action: defender.isolate'));
    expect(error.issues).toEqual([{ file: FILE, line: 10, step: 'isolate', reason: expect.stringMatching(/^action: unknown action 'defender.isolate'; known actions: m365.disableUser, /) }]);
    expect(error.message).toMatch(/^playbooks\/contain\.yaml:10 step 'isolate': action: unknown action 'defender.isolate'/);
  });

  test('R8 an undo-only action is refused: the engine runs it only as an undo', () => {
    const error = refusalOf(edit(VALID, 'action: defender.isolateDevice', 'action: defender.releaseDevice'));
    expect(error.message).toBe(
      "playbooks/contain.yaml:10 step 'isolate': action: 'defender.releaseDevice' is undo-only: the engine runs it to undo defender.isolateDevice; a playbook cannot name it",
    );
  });

  test('a duplicate step id is refused on the second one', () => {
    const error = refusalOf(edit(VALID, '  - id: comment\n', '  - id: find\n'));
    expect(error.message).toBe("playbooks/contain.yaml:12 step 'find': id: duplicate step id 'find' (first at steps[0])");
  });

  test('a reference to a missing step is refused, in after and in target', () => {
    const error = refusalOf(edit(edit(VALID, 'after: [isolate]', 'after: [isolat]'), 'step: find,', 'step: fnd,'));
    expect(error.message).toBe(
      [
        "playbooks/contain.yaml:11 step 'isolate': target.step: refers to step 'fnd', which this playbook does not have (steps: find, isolate, comment)",
        "playbooks/contain.yaml:15 step 'comment': after[0]: after names step 'isolat', which this playbook does not have (steps: find, isolate, comment)",
      ].join('\n'),
    );
  });

  test('an output the referred step does not declare is refused, naming its outputs', () => {
    const error = refusalOf(edit(VALID, 'output: machine', 'output: device'));
    expect(error.message).toBe("playbooks/contain.yaml:11 step 'isolate': target.output: step 'find' (defender.findMachine) has no output 'device'; its outputs: machine");
  });

  test('a cycle over after and step references is refused, naming its steps', () => {
    const text = edit(VALID, '    target: { alert: hosts }\n', '    target: { alert: hosts }\n    after: [comment]\n');
    const error = refusalOf(text);
    expect(error.issues).toEqual([
      { file: FILE, line: 6, step: 'find', reason: "id: steps 'find' -> 'comment' -> 'isolate' -> 'find' form a cycle: each waits for the next" },
    ]);
    expect(refusalOf(edit(VALID, 'after: [isolate]', 'after: [comment]')).message).toBe("playbooks/contain.yaml:12 step 'comment': id: step 'comment' depends on itself");
  });

  test('an unknown key is refused with a did-you-mean hint', () => {
    const error = refusalOf(edit(VALID, 'after: [isolate]', 'aftr: [isolate]'));
    expect(error.message).toBe("playbooks/contain.yaml:15 step 'comment': unknown key 'aftr' (did you mean 'after'?)");
    expect(refusalOf(edit(VALID, 'version: 3', 'verison: 3')).issues).toContainEqual({ file: FILE, line: 2, reason: "unknown key 'verison' (did you mean 'version'?)" });
    expect(refusalOf(edit(VALID, '{ alert: hosts }', '{ alrt: hosts }')).issues).toContainEqual({ file: FILE, line: 8, step: 'find', reason: "unknown key 'alrt' (did you mean 'alert'?)" });
  });

  test('R8 a target of the wrong kind is refused, saying which kind fits', () => {
    const error = refusalOf(edit(VALID, '{ step: find, output: machine }', '{ alert: users }'));
    expect(error.message).toBe(
      "playbooks/contain.yaml:11 step 'isolate': target: defender.isolateDevice acts on a host, but {alert: users} yields a user; use a reference that yields a host, like {alert: hosts}",
    );
  });

  test('R8 R12 a missing subject and an extra subject are refused', () => {
    const block = `id: contain
version: 1
title: Block
description: Block the attacker.
steps:
  - id: block
    action: firewall.blockIp
    target: { tenant: firewalls }
  - id: comment
    action: m365.commentAlert
    target: { alert: source }
    subject: { alert: ips }
`;
    expect(refusalOf(block).message).toBe(
      [
        "playbooks/contain.yaml:6 step 'block': firewall.blockIp needs a subject: an IP, like subject: {alert: ips}",
        "playbooks/contain.yaml:12 step 'comment': subject: m365.commentAlert takes no subject",
      ].join('\n'),
    );
    const wrongKind = edit(edit(block, '    target: { tenant: firewalls }\n', '    target: { tenant: firewalls }\n    subject: { alert: users }\n'), '    subject: { alert: ips }\n', '');
    expect(refusalOf(wrongKind).message).toBe(
      "playbooks/contain.yaml:9 step 'block': subject: firewall.blockIp needs an IP as its subject, but {alert: users} yields a user; like {alert: ips}",
    );
  });

  test('bad params are refused with the parameter and the action', () => {
    const text = edit(VALID, '    target: { step: find, output: machine }\n', '    target: { step: find, output: machine }\n    with:\n      isolationType: Partial\n      comment: x\n');
    const error = refusalOf(text);
    expect(error.issues).toEqual([
      { file: FILE, line: 13, step: 'isolate', reason: 'with.isolationType: defender.isolateDevice: Invalid option: expected one of "Full"|"Selective"' },
      { file: FILE, line: 14, step: 'isolate', reason: "with.comment: unknown key 'comment'; allowed keys: isolationType (parameter of defender.isolateDevice)" },
    ]);
    const none = refusalOf(edit(VALID, '    target: { alert: hosts }\n', '    target: { alert: hosts }\n    with: { force: true }\n'));
    expect(none.message).toBe("playbooks/contain.yaml:9 step 'find': with.force: unknown key 'force': defender.findMachine takes no parameters");
  });

  test('an id that differs from the file name is refused', () => {
    expect(refusalOf(VALID, 'playbooks/isolate.yaml').message).toBe("playbooks/isolate.yaml:1 id: id 'contain' must equal the file name 'isolate'");
  });

  test('a reference with two forms, or a step reference without output, is refused', () => {
    expect(refusalOf(edit(VALID, '{ alert: hosts }', '{ alert: hosts, tenant: firewalls }')).message).toMatch(
      /^playbooks\/contain\.yaml:8 step 'find': target: a reference has exactly one of alert, tenant or step \(found alert, tenant\)/,
    );
    expect(refusalOf(edit(VALID, '{ step: find, output: machine }', '{ step: find }')).message).toBe(
      "playbooks/contain.yaml:11 step 'isolate': target.step: a step reference names the output too: {step: find, output: <name>}",
    );
  });

  test('not a mapping, a YAML syntax error and missing fields are refused with their lines', () => {
    expect(refusalOf('- id: contain\n').message).toMatch(/^playbooks\/contain\.yaml:1 a playbook file is a YAML mapping/);
    expect(refusalOf('').message).toMatch(/^playbooks\/contain\.yaml a playbook file is a YAML mapping/);
    expect(refusalOf(edit(VALID, '    target: { alert: hosts }\n', '    target: { alert: [hosts\n')).issues[0]).toMatchObject({ file: FILE, line: 9 });
    expect(refusalOf(edit(VALID, 'title: Contain\n', '')).issues).toEqual([{ file: FILE, reason: 'title: required (string)' }]);
    expect(refusalOf(edit(VALID, 'version: 3', 'version: 0')).message).toMatch(/^playbooks\/contain\.yaml:2 version: /);
  });

  test('every issue of a file is reported at once', () => {
    const text = edit(edit(VALID, 'action: defender.isolateDevice', 'action: defender.isolate'), 'after: [isolate]', 'after: [nowhere]');
    expect(refusalOf(text).issues.map((i) => [i.line, i.step])).toEqual([
      [10, 'isolate'],
      [15, 'comment'],
    ]);
  });
});

describe('playbook folder', () => {
  test('the sample playbooks load and the catalog finds them by id', () => {
    const catalog = loadPlaybookDirectory(join(REPO, 'playbooks'));
    expect(catalog).toBeInstanceOf(PlaybookCatalog);
    expect(catalog.ids()).toEqual(['ai-isolation', 'block-attacker-ip', 'compromised-account', 'compromised-device', 'malicious-file']);
    expect(catalog.get('compromised-account')?.steps.map((s) => s.action)).toEqual(['m365.disableUser', 'm365.revokeSessions', 'm365.confirmCompromised', 'm365.commentAlert']);
    expect(catalog.get('compromised-device')?.steps[1]).toMatchObject({ action: 'defender.isolateDevice', target: { step: 'find-machine', output: 'machine' }, params: { isolationType: 'Full' } });
    expect(catalog.get('block-attacker-ip')?.steps[0]).toMatchObject({ target: { tenant: 'firewalls' }, subject: { alert: 'ips' } });
    expect(catalog.get('malicious-file')?.steps[0]).toMatchObject({ target: { alert: 'hosts' }, subject: { alert: 'files' } });
    expect(catalog.get('nowhere')).toBeUndefined();
  });

  test('a missing or empty folder is refused naming it', () => {
    expect(() => loadPlaybookDirectory(join(tmpdir(), 'no-such-playbooks-folder'))).toThrow(/no-such-playbooks-folder the playbook folder cannot be read/);
    const empty = directory({ 'README.md': '# nothing' });
    expect(() => loadPlaybookDirectory(empty)).toThrow(PlaybookLoadError);
    expect(() => loadPlaybookDirectory(empty)).toThrow(/holds no playbook/);
  });

  test('the issues of every invalid file come in one error', () => {
    const dir = directory({ 'contain.yaml': edit(VALID, 'version: 3', 'version: -1'), 'other.yaml': VALID, 'good.yaml': edit(VALID, 'id: contain', 'id: good') });
    try {
      loadPlaybookDirectory(dir);
      throw new Error('expected a refusal');
    } catch (error) {
      if (!(error instanceof PlaybookLoadError)) throw error;
      expect(error.issues.map((i) => [i.file.endsWith('contain.yaml') || i.file.endsWith('other.yaml'), i.line])).toEqual([
        [true, 2],
        [true, 1],
      ]);
    }
  });
});

describe('playbook JSON Schema', () => {
  const committed = readFileSync(join(REPO, PLAYBOOK_JSON_SCHEMA_FILE), 'utf8');

  test('the committed schema equals freshly generated output (run scripts/generate-playbook-schema.ts)', () => {
    expect(committed).toBe(playbookJsonSchemaText());
  });

  test('every sample playbook validates against it and names it on its first line', () => {
    const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(committed));
    for (const id of loadPlaybookDirectory(join(REPO, 'playbooks')).ids()) {
      const text = readFileSync(join(REPO, 'playbooks', `${id}.yaml`), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../config/schema/playbook.schema.json');
      validate(parse(text));
      expect({ id, errors: validate.errors ?? null }).toEqual({ id, errors: null });
    }
    expect(validate({ ...parse(VALID), steps: [{ id: 'x', action: 'defender.releaseDevice', target: { alert: 'hosts' } }] })).toBe(false);
  });
});
