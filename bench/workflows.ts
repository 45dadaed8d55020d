/** The workflows the benchmark worker registers: the real pipeline and its baseline. */
export { alertWorkflow } from '../workflows/alertWorkflow';
export { skeletonWorkflow } from './skeletonWorkflow';
