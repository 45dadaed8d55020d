/**
 * The workflow side of signed caller assertions (domain/callerAssertion.ts), as a workflow interceptor so that every
 * Update of every workflow is checked before its own validator, with no handler left out. A workflow whose input
 * carries trusted keys (`callerKeys`: alert workflows and playbook runs started by this code) refuses an Update that
 * no trusted key signed for exactly this workflow, Update name, Update id and argument, and whose argument names
 * another identity than the one signed; a refused Update leaves no history event. A workflow started before
 * assertions existed has no keys in its input and keeps the old rule (the identity in the argument). Validators do not
 * run on replay, so histories replay unchanged.
 */
import { workflowInfo, type WorkflowInterceptors } from '@temporalio/workflow';
import { verifyCaller, type TrustedCallerKeys } from '../domain/callerAssertion';

type Argument = Record<string, unknown> & { caller?: unknown };

/** The identity the argument names: the analyst, the approver (with role) or an analyst who requested something. */
function identityOf(argument: Argument): { principal?: string; role?: string } {
  const actor = (argument['analyst'] ?? argument['approver'] ?? argument['requestedBy']) as { id?: unknown; role?: unknown } | string | undefined;
  if (typeof actor !== 'object' || actor === null) return {};
  return { ...(typeof actor.id === 'string' ? { principal: actor.id } : {}), ...(typeof actor.role === 'string' ? { role: actor.role } : {}) };
}

export const interceptors = (): WorkflowInterceptors => {
  let trusted: TrustedCallerKeys | undefined;
  return {
    inbound: [
      {
        execute: (input, next) => {
          const keys = (input.args[0] as { callerKeys?: unknown } | undefined)?.callerKeys;
          trusted = typeof keys === 'object' && keys !== null ? (keys as TrustedCallerKeys) : undefined;
          return next(input);
        },
        validateUpdate: (input, next) => {
          if (trusted !== undefined) {
            const argument = (input.args[0] ?? {}) as Argument;
            verifyCaller(trusted, argument.caller, { workflowId: workflowInfo().workflowId, update: input.name, updateId: input.updateId, argument, ...identityOf(argument) });
          }
          next(input);
        },
      },
    ],
  };
};
