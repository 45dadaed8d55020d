/** The bare baselines the benchmark worker registers, bundled alone (no interceptors): Temporal's own cost. */
export { localSkeletonWorkflow, noActivityWorkflow, skeletonWorkflow } from './skeletonWorkflow';
