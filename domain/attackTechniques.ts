/**
 * MITRE ATT&CK (Enterprise) techniques as an analyst sees them: the id, its name where this table knows it, and the
 * link to its page on attack.mitre.org (every id has one). The table holds the techniques the starter rules and the
 * vendors' examples name; an id it lacks is still shown, with its link, and without a name.
 */

const NAMES: Readonly<Record<string, string>> = {
  T1003: 'OS Credential Dumping',
  'T1003.001': 'OS Credential Dumping: LSASS Memory',
  T1027: 'Obfuscated Files or Information',
  T1046: 'Network Service Discovery',
  T1059: 'Command and Scripting Interpreter',
  'T1059.001': 'Command and Scripting Interpreter: PowerShell',
  T1071: 'Application Layer Protocol',
  T1078: 'Valid Accounts',
  'T1078.004': 'Valid Accounts: Cloud Accounts',
  T1105: 'Ingress Tool Transfer',
  T1110: 'Brute Force',
  'T1114.003': 'Email Collection: Email Forwarding Rule',
  T1133: 'External Remote Services',
  T1486: 'Data Encrypted for Impact',
  T1490: 'Inhibit System Recovery',
  T1531: 'Account Access Removal',
  T1564: 'Hide Artifacts',
  'T1564.001': 'Hide Artifacts: Hidden Files and Directories',
  T1566: 'Phishing',
  'T1566.001': 'Phishing: Spearphishing Attachment',
  'T1566.002': 'Phishing: Spearphishing Link',
};

export interface AttackTechnique {
  id: string;
  name: string | null;
  url: string;
}

const TECHNIQUE_ID = /^T(\d{4})(?:\.(\d{3}))?$/;

/** The technique behind an id like `T1564.001`; its page is `/techniques/T1564/001/`. */
export function attackTechnique(id: string): AttackTechnique {
  const match = TECHNIQUE_ID.exec(id);
  const path = match ? `T${match[1]}${match[2] ? `/${match[2]}` : ''}` : encodeURIComponent(id);
  return { id, name: NAMES[id] ?? null, url: `https://attack.mitre.org/techniques/${path}/` };
}
