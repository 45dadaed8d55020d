/** Checks that an action request names the kind of target and subject its action acts on (the playbook loader already does; this guards the edge). */
import type { ActionRequest } from '../../domain/response/actionContract';
import { describeTarget, type TargetKind, type TargetOfKind } from '../../domain/response/targets';
import { refused } from './failures';

export function targetOfKind<K extends TargetKind>(request: ActionRequest, kind: K): TargetOfKind<K> {
  const target = request.target;
  if (target.kind !== kind) throw refused('TargetNotFound', `${request.action} acts on a ${kind}, not on ${describeTarget(target)}`);
  return target as TargetOfKind<K>;
}

export function subjectOfKind<K extends TargetKind>(request: ActionRequest, kind: K): TargetOfKind<K> {
  const subject = request.subject;
  if (subject === null || subject.kind !== kind) {
    throw refused('TargetNotFound', `${request.action} needs a ${kind} as its subject, got ${subject === null ? 'none' : describeTarget(subject)}`);
  }
  return subject as TargetOfKind<K>;
}
