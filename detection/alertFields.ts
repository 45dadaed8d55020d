/**
 * Flattens a normalised alert into the fields detection rules are written against.
 *
 * Every field is a list of the values found (duplicates removed, empty strings left out); a field with no
 * value is absent, so `field|exists: false` and `field: null` mean "the alert has none".
 *
 *   title                 the alert's title
 *   description           the alert's description (absent when empty)
 *   source                the registered source id (e.g. `defender`, `edr`, `opnsense-fw1`)
 *   externalId            the vendor's alert id
 *   vendorSeverity        the vendor's severity (`unknown`, `informational`, `low` ... `critical`)
 *   technique             MITRE ATT&CK technique ids the vendor named (e.g. `T1003.001`)
 *   user.name             user entities: account name
 *   user.upn              user entities: user principal name
 *   user.domain           user entities: domain
 *   host.name             host entities: host name
 *   host.id               host entities: device id
 *   host.os               host entities: operating system
 *   ip                    every IP address: IP entities and the hosts' addresses
 *   src_ip                IP entities with role `source`
 *   dst_ip                IP entities with role `destination`
 *   file.name             file entities: file name
 *   file.path             file entities: full path
 *   file.sha1             file entities: SHA-1
 *   file.sha256           file entities: SHA-256
 *   file.md5              file entities: MD5
 *   process.command_line  process entities: command line
 *   process.image         process entities: image (executable) path
 *   process.parent_image  process entities: parent's image path
 *   process.user          process entities: account the process ran as
 *   url                   URL entities
 */
import type { NormalisedAlert } from '../domain/alert';
import type { SigmaEvent } from './sigma/sigmaEvent';

export const ALERT_FIELDS = [
  'title',
  'description',
  'source',
  'externalId',
  'vendorSeverity',
  'technique',
  'user.name',
  'user.upn',
  'user.domain',
  'host.name',
  'host.id',
  'host.os',
  'ip',
  'src_ip',
  'dst_ip',
  'file.name',
  'file.path',
  'file.sha1',
  'file.sha256',
  'file.md5',
  'process.command_line',
  'process.image',
  'process.parent_image',
  'process.user',
  'url',
] as const;
export type AlertField = (typeof ALERT_FIELDS)[number];

export function alertFields(alert: NormalisedAlert): SigmaEvent {
  const fields = new Map<AlertField, Set<string>>();
  const add = (field: AlertField, value: string | undefined) => {
    if (value === undefined || value === '') return;
    let values = fields.get(field);
    if (!values) fields.set(field, (values = new Set()));
    values.add(value);
  };
  const { entities } = alert;
  add('title', alert.title);
  add('description', alert.description);
  add('source', alert.source);
  add('externalId', alert.externalId);
  add('vendorSeverity', alert.vendorSeverity);
  for (const technique of alert.techniques) add('technique', technique);
  for (const user of entities.users) {
    add('user.name', user.name);
    add('user.upn', user.upn);
    add('user.domain', user.domain);
  }
  for (const host of entities.hosts) {
    add('host.name', host.hostname);
    add('host.id', host.deviceId);
    add('host.os', host.os);
  }
  for (const ip of entities.ips) {
    add('ip', ip.address);
    if (ip.role === 'source') add('src_ip', ip.address);
    if (ip.role === 'destination') add('dst_ip', ip.address);
  }
  for (const host of entities.hosts) for (const address of host.ips) add('ip', address);
  for (const file of entities.files) {
    add('file.name', file.name);
    add('file.path', file.path);
    add('file.sha1', file.sha1);
    add('file.sha256', file.sha256);
    add('file.md5', file.md5);
  }
  for (const proc of entities.processes) {
    add('process.command_line', proc.commandLine);
    add('process.image', proc.imagePath);
    add('process.parent_image', proc.parentImagePath);
    add('process.user', proc.user);
  }
  for (const url of entities.urls) add('url', url.url);
  const event: Record<string, readonly string[]> = {};
  for (const field of ALERT_FIELDS) {
    const values = fields.get(field);
    if (values) event[field] = [...values];
  }
  return event;
}
