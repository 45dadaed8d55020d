/** The messages an alert workflow answers: its state is a Query; every human decision is an Update with a validator. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AlertStatus, IocCheck, Verdict } from '../domain/alertLifecycle';
import type { Severity } from '../domain/severity';

export const alertStatusQuery = defineQuery<AlertStatus>('alertStatus');

/** Who acts, as established from the API key: recorded in history (R18). */
export interface Actor {
  id: string;
}

export const claimAlertUpdate = defineUpdate<AlertStatus, [{ analyst: Actor }]>('claimAlert');
export const assessAlertUpdate = defineUpdate<AlertStatus, [{ analyst: Actor; severity: Severity; verdict: Verdict; rationale: string }]>('assessAlert');
export const recordIocsUpdate = defineUpdate<AlertStatus, [{ analyst: Actor; iocs: IocCheck[] }]>('recordIocs');
export const recommendUpdate = defineUpdate<AlertStatus, [{ analyst: Actor; recommendation: string }]>('recommend');
export const closeAlertUpdate = defineUpdate<AlertStatus, [{ analyst: Actor; summary: string }]>('closeAlert');
export const requestWorkOrderUpdate = defineUpdate<AlertStatus, [{ requestedBy: Actor; description: string }]>('requestWorkOrder');
