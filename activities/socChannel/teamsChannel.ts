/**
 * Posts the SOC's cards to a Microsoft Teams channel through a Workflows incoming webhook ("When a Teams webhook
 * request is received", Power Automate): one HTTPS POST of a message with the Adaptive Card as attachment, answered
 * 202. Chosen over Graph: Graph can post channel messages only as a signed-in user (ChannelMessage.Send is delegated;
 * application permissions exist only for migration) or through a registered bot, so an unattended engine would need a
 * user's refresh token or a Bot Framework registration; the webhook needs neither, and its URL (which carries its own
 * signature) is kept as a secret reference. Office 365 connectors, the older webhooks, are retired by Microsoft.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { Language } from '../../domain/i18n/language';
import { redactSecrets } from '../notification/redactSecrets';
import { retryAfterMs } from '../notification/smsSender';
import { adaptiveCard, socCardSchema, type SocCard } from './socCard';

export interface TeamsChannelSettings {
  /** The Workflows webhook URL, resolved inside the activity on each post (it is a credential). */
  webhookUrl: () => string;
  /** The dashboard's public address, for the card's link. */
  dashboardUrl: string;
  language: Language;
  timeoutMs?: number;
}

export const SocChannelFailureType = { Rejected: 'SocChannelRejected', InvalidCard: 'InvalidSocCard' } as const;

export function createSocChannelActivities(deps: { teams?: TeamsChannelSettings }) {
  return {
    /** `posted: false` when no channel is configured (the integration is off); a refusal fails for good, an outage retries. */
    async postSocCard(input: SocCard): Promise<{ posted: boolean }> {
      const parsed = socCardSchema.safeParse(input);
      if (!parsed.success) throw ApplicationFailure.nonRetryable(`Invalid SOC card: ${z.prettifyError(parsed.error)}`, SocChannelFailureType.InvalidCard);
      const teams = deps.teams;
      if (!teams) return { posted: false };
      const url = teams.webhookUrl();
      const clean = (text: string) => redactSecrets(text, [url, new URL(url).searchParams.get('sig') ?? undefined]).replace(/\s+/g, ' ').trim().slice(0, 300);
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: adaptiveCard(parsed.data, teams.dashboardUrl, teams.language) }],
          }),
          redirect: 'manual',
          signal: AbortSignal.timeout(teams.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw ApplicationFailure.retryable(`Teams webhook not reached: ${clean(error instanceof Error ? error.message : String(error))}`, 'SocChannelDeferred');
      }
      const text = clean(await response.text());
      if (response.status >= 200 && response.status < 300) return { posted: true };
      const reason = `Teams webhook answered HTTP ${response.status}: ${text || '(empty)'}`;
      if (response.status === 429 || response.status >= 500) {
        throw ApplicationFailure.create({ message: reason, type: 'SocChannelDeferred', nextRetryDelay: retryAfterMs(response.headers.get('retry-after'), Date.now()) });
      }
      throw ApplicationFailure.nonRetryable(reason, SocChannelFailureType.Rejected);
    },
  };
}
