/** The workflows a worker registers. */
export { alertWorkflow } from './alertWorkflow';
export { billableWorkOrderWorkflow } from './workOrderWorkflow';
