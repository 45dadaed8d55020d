/** The engine's workflow bundle plus the trivial waiting workflow, to measure what the engine's code costs a cached workflow. */
export * from '../workflows';
export { waitingWorkflow } from './waitingWorkflow';
