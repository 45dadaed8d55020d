/** The SDK log lines' failure texts are taken out, the line and the failure's type kept (infra/temporal/sdkLogRedaction.ts). */
import { ApplicationFailure, ActivityFailure, RetryState } from '@temporalio/common';
import { redactSdkLogLine } from '../../infra/temporal/sdkLogRedaction';

const UPN = 'erika.musterfrau@rheinwerk.de';

test('an error is reduced to its class and failure type, with its cause, and its message and stack are gone', () => {
  const cause = ApplicationFailure.nonRetryable(`Defender knows no machine named pc-${UPN}`, 'TargetNotFound');
  const error = new ActivityFailure('Activity task failed', 'defenderIsolateDevice', '7', RetryState.NON_RETRYABLE_FAILURE, undefined, cause);
  const line = redactSdkLogLine('WARN', 'Workflow failed', { sdkComponent: 'worker', workflowId: 'alert-1', error });
  expect(line).toEqual({ message: 'Workflow failed', meta: { sdkComponent: 'worker', workflowId: 'alert-1', error: { name: 'ActivityFailure', cause: { name: 'ApplicationFailure', type: 'TargetNotFound' } } } });
  expect(JSON.stringify(line)).not.toContain('erika');
});

test("core's debug print of a failure keeps its application failure type only; any other text in a failure field is replaced", () => {
  const failure = `Failure { failure: Some(Failure { message: "${UPN}", stack_trace: "at x", failure_info: Some(ApplicationFailureInfo(ApplicationFailureInfo { r#type: "VendorRefused", non_retryable: true })) }) }`;
  expect(redactSdkLogLine('WARN', 'Failing workflow task', { sdkComponent: 'core', runId: 'r', failure }).meta).toEqual({ sdkComponent: 'core', runId: 'r', failure: { name: 'Failure', type: 'VendorRefused' } });
  expect(redactSdkLogLine('WARN', 'Network error while completing activity', { sdkComponent: 'core', error: `status: NotFound, message: "${UPN}"` }).meta.error).toBe('[redacted]');
});

test("the SDK's warnings and errors lose the error text they append after a colon; the engine's own activity and workflow lines keep their message", () => {
  expect(redactSdkLogLine('ERROR', `Error while processing ActivityTask.start: ${UPN} unknown`, { sdkComponent: 'worker' }).message).toBe('Error while processing ActivityTask.start: [redacted]');
  expect(redactSdkLogLine('ERROR', `Workflow Worker Thread failed: Error: ${UPN}\n    at line 3`).message).toBe('Workflow Worker Thread failed: [redacted]');
  expect(redactSdkLogLine('WARN', 'Worker state changed', { sdkComponent: 'worker', state: 'RUNNING' })).toEqual({ message: 'Worker state changed', meta: { sdkComponent: 'worker', state: 'RUNNING' } });
  expect(redactSdkLogLine('WARN', 'Graph alert refused at intake: see reason', { sdkComponent: 'activity' }).message).toBe('Graph alert refused at intake: see reason');
  expect(redactSdkLogLine('INFO', 'asset workflow-bundle.js 5 MiB (name: main)\nmodules by path ./workflows', { sdkComponent: 'worker' }).message).toMatch(/^asset .*\(name: main\)\nmodules/);
});
