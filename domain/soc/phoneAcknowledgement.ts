/** The digit that takes the incident when an escalation call asks for it (R19): the call's prompt and the workflow's check share it. */
export const TAKE_INCIDENT_DIGIT = '1';
