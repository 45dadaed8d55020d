/**
 * A Teams Workflows incoming webhook ("When a Teams webhook request is received", Power Automate) as Microsoft
 * documents it: `POST /workflows/{id}/triggers/manual/paths/invoke?api-version=...&sp=...&sv=1.0&sig=...` with
 * `{ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content }] }`, answered
 * 202 Accepted; a wrong signature answers 401, a body without an Adaptive Card 400.
 */
import { startHttpsFake, type RecordedRequest, type RunningFake } from './httpsFake';

export interface RunningTeamsFake extends RunningFake {
  /** The webhook URL as Teams shows it when the workflow is created: it carries its signature. */
  webhookUrl: string;
  requests: RecordedRequest[];
  /** The Adaptive Cards posted, in order. */
  cards: Record<string, unknown>[];
  /** The next post whose body contains `containing` answers `status`. */
  failNext(status: number, containing: string): void;
}

const WORKFLOW = '/workflows/5b2f0c7e9d1a4e3b8c6f2a1d0e9b8c7a/triggers/manual/paths/invoke';
const SIG = 'Xq3N1vF0p2cH8mZs7TkLwYe4Rj6Ub9Ga5Dd0Oi1Sh2A';

export async function startTeamsWorkflowFake(): Promise<RunningTeamsFake> {
  const requests: RecordedRequest[] = [];
  const cards: Record<string, unknown>[] = [];
  const failures: { status: number; containing: string }[] = [];
  const fake = await startHttpsFake('teams-workflow', requests, (request) => {
    if (request.method !== 'POST' || request.path !== WORKFLOW) return { status: 404, body: { error: { code: 'TriggerNotFound', message: 'The workflow trigger was not found.' } } };
    if (request.query['sig'] !== SIG) return { status: 401, body: { error: { code: 'DirectApiAuthorizationRequired', message: 'The request must be authenticated only by Shared Access scheme.' } } };
    const index = failures.findIndex((f) => JSON.stringify(request.body).includes(f.containing));
    const failure = index < 0 ? undefined : failures.splice(index, 1)[0];
    if (failure !== undefined) return { status: failure.status, body: { error: { code: 'Programmed', message: 'Programmed failure of the test fake' } } };
    const body = request.body as { type?: string; attachments?: { contentType?: string; content?: Record<string, unknown> }[] } | undefined;
    const card = body?.type === 'message' ? body.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content : undefined;
    if (!card || card['type'] !== 'AdaptiveCard') return { status: 400, body: { error: { code: 'InvalidRequestContent', message: 'The request content is not a message with an Adaptive Card.' } } };
    cards.push(card);
    return { status: 202 };
  });
  return {
    ...fake,
    webhookUrl: `${fake.url}${WORKFLOW}?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`,
    requests,
    cards,
    failNext: (status, containing) => {
      failures.push({ status, containing });
    },
  };
}
