/**
 * What an analyst reads from a Graph alert beyond the normalised entities: the vendor's advice and links, and the
 * evidence the entity mapping has no place for (registry keys and values, mailboxes, cloud resources, apps...).
 * Read from the alert's `raw` when it is shown, so nothing more is stored in the workflow's history.
 */
import { z } from 'zod';
import { EVIDENCE_TYPE_PREFIX, evidenceTypeOf, parseKnownEvidence } from './evidence';
import { AlertEntityCollector } from './alertEntityCollector';
import { addEvidenceEntities } from './evidenceEntities';
import { graphAlertSchema } from './graphAlertSchema';
import { textOf } from './vendorText';

export interface RegistryEvidence {
  hive: string | null;
  key: string;
  valueName: string | null;
  value: string | null;
  valueType: string | null;
}

export interface MailboxEvidence {
  address: string | null;
  upn: string | null;
  displayName: string | null;
}

/** An evidence item that carries no user, host, IP, file, process, URL, registry entry or mailbox: its own plain fields. */
export interface OtherEvidence {
  type: string;
  verdict: string | null;
  details: Record<string, string>;
}

export interface GraphAlertContext {
  recommendedActions: string | null;
  category: string | null;
  serviceSource: string | null;
  detectionSource: string | null;
  vendorStatus: string | null;
  /** The vendor's portal pages; https only, anything else is dropped (they become links on the dashboard). */
  links: { alert: string | null; incident: string | null };
  registry: RegistryEvidence[];
  mailboxes: MailboxEvidence[];
  otherEvidence: OtherEvidence[];
}

const MAX_ITEMS = 200;
const MAX_TEXT = 4096;
const MAX_DETAILS = 30;

const fieldText = z.string().nullish();
const registrySchema = z.looseObject({
  registryHive: fieldText,
  registryKey: fieldText,
  registryValueName: fieldText,
  registryValue: fieldText,
  registryValueType: fieldText,
});
const mailboxSchema = z.looseObject({ primaryAddress: fieldText, mailboxPrimaryAddress: fieldText, upn: fieldText, displayName: fieldText });
const verdictSchema = z.looseObject({ verdict: fieldText });

/** Properties every evidence type inherits: shown elsewhere or of no use on their own. */
const INHERITED = new Set(['@odata.type', 'createdDateTime', 'remediationStatus', 'remediationStatusDetails', 'roles', 'detailedRoles', 'tags', 'verdict']);

const text = (value: string | null | undefined) => textOf(value, MAX_TEXT) ?? null;

function httpsUrl(value: string | null | undefined): string | null {
  const candidate = text(value);
  if (candidate === null || !URL.canParse(candidate)) return null;
  return new URL(candidate).protocol === 'https:' ? candidate : null;
}

/** True when the mapping turns the item into at least one entity (it is then shown as those entities). */
function carriesEntities(item: Record<string, unknown>): boolean {
  const known = parseKnownEvidence(item);
  if (!known?.success) return false;
  const collector = new AlertEntityCollector();
  addEvidenceEntities(known.data, collector);
  return Object.values(collector.entities()).some((list) => list.length > 0);
}

/** Plain top-level fields (texts, numbers, booleans; text lists joined) of an item, without the inherited ones. */
function detailsOf(item: Record<string, unknown>): Record<string, string> {
  const details: Record<string, string> = {};
  for (const [key, value] of Object.entries(item)) {
    if (INHERITED.has(key) || Object.keys(details).length >= MAX_DETAILS) continue;
    const plain = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join(', ') : null;
    const clean = plain === null ? null : text(plain);
    if (clean !== null) details[key] = clean;
  }
  return details;
}

/** The Graph context of an alert's raw record, or null when the raw record is not a Graph security alert. */
export function graphAlertContextOf(raw: unknown): GraphAlertContext | null {
  const parsed = graphAlertSchema.safeParse(raw);
  if (!parsed.success) return null;
  const alert = parsed.data;
  const context: GraphAlertContext = {
    recommendedActions: textOf(alert.recommendedActions, 65536) ?? null,
    category: text(alert.category),
    serviceSource: text(alert.serviceSource),
    detectionSource: text(alert.detectionSource),
    vendorStatus: text(alert.status),
    links: { alert: httpsUrl(alert.alertWebUrl), incident: httpsUrl(alert.incidentWebUrl) },
    registry: [],
    mailboxes: [],
    otherEvidence: [],
  };
  for (const item of (alert.evidence ?? []).slice(0, MAX_ITEMS)) addContextOf(item, context);
  return context;
}

function addContextOf(item: Record<string, unknown> & { '@odata.type'?: string | undefined }, context: GraphAlertContext): void {
  const type = evidenceTypeOf(item)?.replace(`#${EVIDENCE_TYPE_PREFIX.slice(1)}`, '') ?? 'unknown';
  if (type === 'registryKeyEvidence' || type === 'registryValueEvidence') {
    const registry = registrySchema.parse(item);
    const key = text(registry.registryKey);
    if (key !== null) {
      context.registry.push({ hive: text(registry.registryHive), key, valueName: text(registry.registryValueName), value: text(registry.registryValue), valueType: text(registry.registryValueType) });
      return;
    }
  }
  if (type === 'mailboxEvidence' || type === 'mailboxConfigurationEvidence') {
    const mailbox = mailboxSchema.parse(item);
    context.mailboxes.push({ address: text(mailbox.primaryAddress) ?? text(mailbox.mailboxPrimaryAddress), upn: text(mailbox.upn), displayName: text(mailbox.displayName) });
    return;
  }
  if (carriesEntities(item)) return;
  context.otherEvidence.push({ type, verdict: text(verdictSchema.parse(item).verdict), details: detailsOf(item) });
}
