/** A tenant file that breaks the schema or a service rule is refused with file, key path and line. */
import { parseTenantYaml, TenantConfigError } from '../../domain/tenant/loadTenants';
import { MATRIX_PERMISSIONS } from '../../domain/response/actionCatalog';
import { edit, FILE, PACKAGE_1, PACKAGE_2, refusalOf } from './tenantFixtures';

describe('tenant file refusals', () => {
  test('the fixtures themselves are valid', () => {
    expect(parseTenantYaml(PACKAGE_1, FILE).package).toBe(1);
    expect(parseTenantYaml(PACKAGE_2, FILE).package).toBe(2);
  });

  test('an unknown key is refused naming the key, the file and its line, with the likely intended key', () => {
    const error = refusalOf(edit(PACKAGE_1, 'package: 1\n', 'package: 1\noptions:\n  weekendEmergncy: false\n'));
    expect(error).toBeInstanceOf(TenantConfigError);
    expect(error.file).toBe(FILE);
    expect(error.issues).toEqual([{ path: 'options.weekendEmergncy', line: 5, message: "unknown key 'weekendEmergncy' (did you mean 'weekendEmergency'?)" }]);
    expect(error.message).toBe("config/tenants/acme.yaml:5 options.weekendEmergncy: unknown key 'weekendEmergncy' (did you mean 'weekendEmergency'?)");
  });

  test('an unknown key without a near match lists the allowed keys', () => {
    const error = refusalOf(PACKAGE_1 + 'colour: blue\n');
    expect(error.message).toMatch(/^config\/tenants\/acme\.yaml:12 colour: unknown key 'colour'; allowed keys: id, name, package, /);
  });

  test('a wrong type is refused with its key path and line', () => {
    const error = refusalOf(edit(PACKAGE_1, 'monthlyIncidentBaseline: 5', 'monthlyIncidentBaseline: five'));
    expect(error).toMatchObject({ path: 'fairUse.monthlyIncidentBaseline', line: 9 });
    expect(error.message).toBe('config/tenants/acme.yaml:9 fairUse.monthlyIncidentBaseline: Invalid input: expected number, received string');
  });

  test('an invalid value in a list names the item: contacts[1].email', () => {
    const error = refusalOf(edit(PACKAGE_2, 'email: t.wolf@acme.example', 'email: t.wolf(at)acme.example'));
    expect(error.message).toBe('config/tenants/acme.yaml:12 contacts[1].email: Invalid email address');
  });

  test('a missing required key is named', () => {
    const error = refusalOf(edit(PACKAGE_1, 'mailDomain: acme.example\n', ''));
    expect(error.issues).toEqual([{ path: 'mailDomain', line: undefined, message: 'required (string)' }]);
  });

  test('an unquoted phone number says to quote it', () => {
    const error = refusalOf(edit(PACKAGE_2, '"+491715550100"', '+491715550100'));
    expect(error).toMatchObject({ path: 'contacts[0].phone', line: 8 });
    expect(error.message).toMatch(/must be quoted/);
  });

  test.each([
    ['an unclosed flow sequence', edit(PACKAGE_1, '    kind: edr\n', '    kind: [edr\n'), 7],
    ['a bad indentation', edit(PACKAGE_1, '    kind: edr\n', '   kind: edr\n'), 6],
    ['a repeated key', edit(PACKAGE_1, 'package: 1\n', 'package: 1\npackage: 2\n'), 4],
  ])('a YAML syntax error (%s) is refused with its line', (_name, text, line) => {
    const error = refusalOf(text);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(new RegExp(`^config/tenants/acme\\.yaml:${line} YAML syntax error: `));
  });

  test('an empty file is refused', () => {
    expect(refusalOf('').message).toMatch(/the file is empty/);
  });

  test('an id that differs from the file name is refused', () => {
    const error = refusalOf(edit(PACKAGE_1, 'id: acme', 'id: acme-gmbh'));
    expect(error.message).toBe("config/tenants/acme.yaml:1 id: id 'acme-gmbh' must equal the file name 'acme'");
  });

  test('R1 a duplicate source id is refused naming it', () => {
    const error = refusalOf(edit(PACKAGE_1, '    kind: edr\n', '    kind: edr\n  - id: edr\n    kind: custom\n    product: windows\n'));
    expect(error.message).toBe("config/tenants/acme.yaml:7 sources[1].id: duplicate source id 'edr' (first at sources[0])");
  });

  test('two webhooks with one id are refused naming the second (the id names the deliveries)', () => {
    const hook = (url: string) => `  - { id: tickets, url: "${url}", secretRef: env:ACME_HOOK }\n`;
    const error = refusalOf(`${PACKAGE_1}webhooks:\n${hook('https://a.example/hook')}${hook('https://b.example/hook')}`);
    expect(error.message).toBe("config/tenants/acme.yaml:14 webhooks[1].id: duplicate webhook id 'tickets' (first at webhooks[0]): it names the deliveries");
  });

  test('R1 a syslog-generic or custom source must name its Sigma product', () => {
    const error = refusalOf(edit(PACKAGE_1, '    kind: edr\n', '    kind: custom\n'));
    expect(error).toMatchObject({ path: 'sources[0].product', line: 5 });
    expect(error.message).toMatch(/must name its Sigma logsource product/);
  });

  test('R12 refuses a firewall source without the firewall option', () => {
    const text = edit(PACKAGE_1, '    kind: edr\n', '    kind: edr\n  - id: opnsense-fw1\n    kind: firewall-opnsense\n');
    const error = refusalOf(text);
    expect(error.message).toBe("config/tenants/acme.yaml:8 sources[1].kind: R12: firewall source 'opnsense-fw1' needs the firewall option (options.firewall: true)");
    expect(parseTenantYaml(edit(text, 'package: 1\n', 'package: 1\noptions: { firewall: true }\n'), FILE).sources[1]?.product).toBe('firewall');
  });

  test('R11 refuses package 3 options on a package 1 tenant, naming each', () => {
    const error = refusalOf(edit(PACKAGE_1, 'package: 1\n', 'package: 1\noptions:\n  twentyFourSeven: true\n  fixedSocContact: { analyst: a.schmidt }\n  aiIsolation: { confidenceThreshold: 0.9 }\n'));
    expect(error.issues.map((i) => [i.path, i.line])).toEqual([
      ['options.twentyFourSeven', 5],
      ['options.fixedSocContact', 6],
      ['options.aiIsolation', 7],
    ]);
    expect(error.issues.every((i) => i.message.startsWith('R11: '))).toBe(true);
  });

  test('R11 package 3 options may be booked one by one on top of package 2', () => {
    const tenant = parseTenantYaml(edit(PACKAGE_2, 'package: 2\n', 'package: 2\noptions:\n  weeklyReview: true\n'), FILE);
    expect(tenant.options).toMatchObject({ weeklyReview: true, twentyFourSeven: false, fixedSocContact: null });
  });

  test('R11 an AI isolation threshold outside 0..1 is refused', () => {
    const error = refusalOf(edit(PACKAGE_2, 'package: 2\n', 'package: 2\noptions:\n  aiIsolation: { confidenceThreshold: 1.5 }\n'));
    expect(error).toMatchObject({ path: 'options.aiIsolation.confidenceThreshold', line: 5 });
  });

  test('R10 refuses the weekend emergency option on a package 1 tenant', () => {
    const error = refusalOf(edit(PACKAGE_1, 'package: 1\n', 'package: 1\noptions:\n  weekendEmergency: true\n'));
    expect(error.message).toBe('config/tenants/acme.yaml:5 options.weekendEmergency: R10: the weekend emergency option needs package 2 or 3');
  });

  test.each([1, 2, 3])('R13 refuses a package-%i tenant without a management mobile number (all packages, especially 2 and 3)', (pkg) => {
    const text = edit(edit(PACKAGE_2, 'package: 2', `package: ${pkg}`), '    role: management\n', '    role: it\n');
    const error = refusalOf(text);
    expect(error.issues[0]).toEqual({
      path: 'contacts',
      line: 4,
      message: `R13: a package ${pkg} tenant must name at least one contact with role management, mobile: true and a phone number`,
    });
  });

  test('R13 a management contact marked mobile needs a phone number', () => {
    const error = refusalOf(edit(PACKAGE_2, '    phone: "+491715550100"\n', ''));
    expect(error.issues).toContainEqual({ path: 'contacts[0].mobile', line: 8, message: 'mobile: true needs a phone number' });
    expect(error.issues).toContainEqual(expect.objectContaining({ path: 'contacts', message: expect.stringMatching(/^R13: /) }));
  });

  test('R13 a package 1 tenant with a management mobile number is accepted', () => {
    expect(parseTenantYaml(PACKAGE_1, FILE).contacts).toEqual([expect.objectContaining({ role: 'management', mobile: true, phone: '+491715550100' })]);
  });

  test('R13 a tenant that uses Microsoft 365 must have it connected: Graph credentials with a client id', () => {
    const m365 = edit(PACKAGE_1, '    kind: edr\n', '    kind: edr\n  - id: m365\n    kind: microsoft365\n    azureTenantId: b3c8f0a4-5f2e-4d6b-9c1a-7e2f1d3a4b5c\n');
    const unconnected = refusalOf(m365);
    expect(unconnected.issues).toEqual([
      {
        path: 'sources[1].kind',
        line: 8,
        message: "R13: a tenant that uses Microsoft 365 must have it connected: credentials.graph needs a clientId and a secretRef (source 'm365')",
      },
    ]);
    const withoutClientId = refusalOf(`${m365}credentials:\n  graph:\n    secretRef: env:ACME_GRAPH_SECRET\n`);
    expect(withoutClientId).toMatchObject({ path: 'credentials.graph', line: 16 });
    const connected = parseTenantYaml(`${m365}credentials:\n  graph:\n    clientId: soar-app\n    secretRef: env:ACME_GRAPH_SECRET\n`, FILE);
    expect(connected.credentials?.graph).toEqual({ clientId: 'soar-app', secretRef: 'env:ACME_GRAPH_SECRET' });
  });

  test.each([
    ['timezone', 'Europe/Berlin'],
    ['holidayRegion', 'DE-NW'],
  ])('R5 %s is refused: the service calendar is German time with DE-NW holidays for every tenant', (key, value) => {
    const error = refusalOf(`${PACKAGE_1}${key}: ${value}\n`);
    expect(error).toMatchObject({ path: key, line: 12 });
    expect(error.message).toContain(`unknown key '${key}'`);
  });

  test.each(['microsoft365', 'defender-endpoint'])('R13 refuses a %s source without azureTenantId', (kind) => {
    const error = refusalOf(edit(PACKAGE_1, '    kind: edr\n', `    kind: edr\n  - id: m365\n    kind: ${kind}\n`));
    expect(error).toMatchObject({ path: 'sources[1].azureTenantId', line: 7 });
    expect(error.reason).toBe(`R13: a ${kind} source needs azureTenantId: a tenant that uses Microsoft 365 must have it connected`);
  });

  test('an azureTenantId on a source that is not Microsoft 365 is refused', () => {
    const error = refusalOf(edit(PACKAGE_1, '    kind: edr\n', '    kind: edr\n    azureTenantId: b3c8f0a4-5f2e-4d6b-9c1a-7e2f1d3a4b5c\n'));
    expect(error).toMatchObject({ path: 'sources[0].azureTenantId', line: 7 });
  });

  test('an inline secret is refused: secrets must be referenced', () => {
    const error = refusalOf(PACKAGE_1 + 'credentials:\n  graph:\n    clientId: soar-app\n    secretRef: Sup3r-Secret!\n  smtp: hunter2\n');
    expect(error.issues.map((i) => [i.path, i.line])).toEqual([
      ['credentials.graph.secretRef', 15],
      ['credentials.smtp', 16],
    ]);
    expect(error.issues.every((i) => /secrets must be referenced/.test(i.message))).toBe(true);
    expect(error.message).not.toMatch(/Sup3r|hunter2/);
  });

  test('env: and file: secret references are accepted', () => {
    const tenant = parseTenantYaml(PACKAGE_1 + 'credentials:\n  graph: { clientId: soar-app, secretRef: env:ACME_GRAPH_SECRET }\n  smtp: { secretRef: file:/run/secrets/smtp }\n', FILE);
    expect(tenant.credentials?.smtp?.secretRef).toBe('file:/run/secrets/smtp');
  });

  test('R8 R12 a release rule may only target firewall sources of this tenant', () => {
    const text = edit(
      edit(PACKAGE_2, 'package: 2\n', 'package: 2\noptions: { firewall: true }\n'),
      'escalation:',
      'releaseMatrix:\n  rules:\n    - action: firewall.blockIp\n      targets:\n        firewalls: [edr, fw-nowhere]\nescalation:',
    );
    const error = refusalOf(text);
    expect(error.issues).toEqual([
      { path: 'releaseMatrix.rules[0].targets.firewalls[0]', line: 24, message: "'edr' is not a firewall source (its kind is edr)" },
      { path: 'releaseMatrix.rules[0].targets.firewalls[1]', line: 24, message: "'fw-nowhere' is not a source of this tenant" },
    ]);
  });

  test('R8 a release rule for an action the engine does not know is refused, listing the known ones', () => {
    const text = edit(PACKAGE_2, 'escalation:', 'releaseMatrix:\n  rules:\n    - action: edr.stopProcess\n      targets:\n        hosts: [WS-*]\nescalation:');
    const error = refusalOf(text);
    expect(error.issues).toEqual([
      {
        path: 'releaseMatrix.rules[0].action',
        line: 21,
        message: `R8: 'edr.stopProcess' is not a measure the engine knows; known: ${MATRIX_PERMISSIONS.join(', ')}`,
      },
    ]);
    expect(error.message).toMatch(/known: m365\.disableUser, m365\.revokeSessions, .*defender\.stopAndQuarantineFile/);
  });

  test('R8 an undo action is not a release-matrix action: its measure\'s rule allows it', () => {
    const error = refusalOf(edit(PACKAGE_2, 'escalation:', 'releaseMatrix:\n  rules:\n    - action: m365.enableUser\n      targets:\n        users: ["*@acme.example"]\nescalation:'));
    expect(error).toMatchObject({ path: 'releaseMatrix.rules[0].action', line: 21 });
  });

  test('R12 a firewall release rule needs the firewall option', () => {
    const text = edit(
      edit(PACKAGE_2, '    kind: edr\n', '    kind: edr\n  - id: opnsense-fw1\n    kind: firewall-opnsense\n'),
      'escalation:',
      'releaseMatrix:\n  rules:\n    - action: firewall.blockIp\n      targets:\n        firewalls: [opnsense-fw1]\nescalation:',
    );
    const error = refusalOf(text);
    expect(error.issues).toContainEqual({ path: 'releaseMatrix.rules[0].action', line: 23, message: 'R12: firewall.blockIp needs the firewall option (options.firewall: true)' });
  });

  test('R8 the release matrix default can only be deny', () => {
    const error = refusalOf(edit(PACKAGE_2, 'escalation:', 'releaseMatrix:\n  default: allow\nescalation:'));
    expect(error).toMatchObject({ path: 'releaseMatrix.default', line: 20 });
  });

  test('R19 refuses an escalation whose final contact is not a management mobile contact', () => {
    const error = refusalOf(edit(PACKAGE_2, 'finalManagementContact: Eva Richter', 'finalManagementContact: Tom Wolf'));
    expect(error.message).toBe(
      "config/tenants/acme.yaml:22 escalation.finalManagementContact: R19: contact 'Tom Wolf' is not a contact with role management, mobile: true and a phone number (candidates: 'Eva Richter')",
    );
    expect(refusalOf(edit(PACKAGE_2, 'finalManagementContact: Eva Richter', 'finalManagementContact: Eva Richer')).reason).toMatch(/^R19: there is no contact named 'Eva Richer'/);
  });

  test('R19 refuses a package 2 tenant without an escalation chain', () => {
    const error = refusalOf(PACKAGE_2.slice(0, PACKAGE_2.indexOf('escalation:')));
    expect(error.issues).toEqual([{ path: 'escalation', line: undefined, message: expect.stringMatching(/^R19: a package 2 tenant needs an escalation chain/) }]);
  });

  test('all issues of a file are reported at once, in line order', () => {
    const text = edit(
      edit(edit(PACKAGE_2, 'email: t.wolf@acme.example', 'email: nope'), 'package: 2\n', 'package: 2\ncolour: blue\n'),
      'monthlyIncidentBaseline: 20',
      'monthlyIncidentBaseline: -1',
    );
    const error = refusalOf(text);
    expect(error.issues.map((i) => `${i.line} ${i.path}`)).toEqual(['4 colour', '13 contacts[1].email', '19 fairUse.monthlyIncidentBaseline']);
    expect(error.message.split('\n')).toHaveLength(3);
    expect(error).toMatchObject({ path: 'colour', line: 4 });
  });
});
