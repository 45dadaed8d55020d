/** Reads the SOC's on-call directory (config/soc/oncall.yaml); what it says is checked by domain/soc/onCallDirectory.ts. */
import { readFileSync } from 'node:fs';
import { OnCallConfigError, parseOnCallDirectory, type OnCallDirectory } from '../../domain/soc/onCallDirectory';
import { displayPath } from './displayPath';

export function loadOnCallDirectory(file: string): OnCallDirectory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new OnCallConfigError(displayPath(file), 'the on-call directory cannot be read');
  }
  return parseOnCallDirectory(text, displayPath(file));
}
