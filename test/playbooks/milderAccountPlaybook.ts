/** A milder revision of compromised-account, for tests that put it in force as a shadow: revoke the sessions and note it on the alert. */
export const MILDER_ACCOUNT_PLAYBOOK = `id: compromised-account
version: 2
title: Compromised account
description: Trial - revoke the sessions only, and note it on the alert.
steps:
  - id: revoke-sessions
    action: m365.revokeSessions
    title: End the sessions and refresh tokens the attacker may hold
    target: { alert: users }
  - id: comment-alert
    action: m365.commentAlert
    title: Record the measures on the source alert
    target: { alert: source }
    after: [revoke-sessions]
`;
