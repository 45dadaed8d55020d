/**
 * A measure in words, in a reader's language: the action's summary and its target (and subject), from the message
 * catalogues (`action.*`, `target.*`). The analyst approves it in these words (R8) and the customer is told them.
 */
import type { ActionName } from '../response/actionCatalog';
import type { ResolvedTarget } from '../response/targets';
import type { Language } from './language';
import { message } from './lazyMessages';

export function targetInWords(language: Language, target: ResolvedTarget): string {
  switch (target.kind) {
    case 'user':
      return message(language, 'target.user', { upn: target.upn });
    case 'host':
      return message(language, 'target.host', { hostname: target.hostname });
    case 'ip':
      return message(language, 'target.ip', { address: target.address });
    case 'file':
      return target.sha1 ? message(language, 'target.fileSha1', { name: target.name, sha1: target.sha1 }) : message(language, 'target.file', { name: target.name });
    case 'alert':
      return message(language, 'target.alert', { externalId: target.externalId, source: target.source });
    case 'firewall':
      return message(language, 'target.firewall', { sourceId: target.sourceId });
  }
}

/** `<what is done>: <to what>[ / <subject>]`, e.g. `Gerät vom Netzwerk isolieren (Defender for Endpoint): Gerät WS-0231`. */
export function measureInWords(language: Language, measure: { action: ActionName; target: ResolvedTarget; subject: ResolvedTarget | null }): string {
  const subject = measure.subject ? ` / ${targetInWords(language, measure.subject)}` : '';
  return `${message(language, `action.${measure.action}`)}: ${targetInWords(language, measure.target)}${subject}`;
}
