/** The bare baselines the benchmark worker registers, bundled alone (no interceptors): Temporal's own cost. */
export { noActivityWorkflow, skeletonWorkflow } from './skeletonWorkflow';
