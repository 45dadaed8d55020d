/**
 * MITRE ATT&CK (Enterprise) techniques as an analyst sees them: the id, its name, and the link to its page on
 * attack.mitre.org (every id has one). The names are the full Enterprise list of one ATT&CK release, generated from
 * MITRE's STIX data by scripts/generate-attack-techniques.ts (domain/attack/enterpriseTechniques.json); an id the
 * release does not know is still shown, with its link, and without a name. Read by the API only: the table stays out
 * of the workflow bundle.
 */
import table from './attack/enterpriseTechniques.json';

const NAMES: Readonly<Record<string, string>> = { ...table.retired, ...table.techniques };

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

/** How many active techniques and sub-techniques the table names (the release's full Enterprise list). */
export const ACTIVE_TECHNIQUES = Object.keys(table.techniques).length;
