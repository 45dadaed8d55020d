/** The workflows a worker registers. */
export { alertWorkflow } from './alertWorkflow';
export { billableWorkOrderWorkflow } from './workOrderWorkflow';
export { playbookRunWorkflow } from './playbookRunWorkflow';
export { retentionPurgeWorkflow } from './retentionPurgeWorkflow';
export { leakCheckWorkflow } from './leakCheckWorkflow';
export { graphAlertPullWorkflow } from './graphAlertPullWorkflow';
export { fairUseCheckWorkflow } from './fairUseCheckWorkflow';
