/**
 * Package 1 in one step (patch `soar-package1-one-step`, workflows/alertWorkflow.ts, docs/performance.md): analysis,
 * classification and publication of an alert that ends right after it, in ONE local activity, so the workflow records
 * one marker and completes in its next activation. The analysis and the publication are the same activities the
 * workflow calls on its other paths, the classification the same pure code (domain/analysedAlertClassification.ts).
 * Idempotent as its parts are: analysis and classification are pure, publication finds its row and does not append
 * twice, so a retry (a local attempt, the regular activity after them, a worker that died) publishes once.
 */
import type { NormalisedAlert } from '../../domain/alert';
import { timelineEntry, type AlertStatus, type Classification, type Publication } from '../../domain/alertLifecycle';
import { classifyAnalysedAlert, type AlertAnalysis, type ClassificationStep } from '../../domain/analysedAlertClassification';
import type { EventDetection } from '../../domain/correlation';
import type { createAnalysisActivities } from '../analysis/analyseAlert';
import type { createPublicationActivities } from '../publication/publishAlert';

export interface Package1StepInput {
  alert: NormalisedAlert;
  /** The Sigma logsource product of the alert's source. */
  product: string;
  eventDetection?: EventDetection;
  /** The workflow's record when it asked (state `analysing`): published as classified. */
  status: AlertStatus;
  hostnames: string[];
}

/** What the workflow records: the analysis (the decision trail reads it), the classification with its timeline entries, the publication. */
export interface Package1StepResult {
  analysis: AlertAnalysis;
  classification: Classification;
  steps: ClassificationStep[];
  publication: Publication;
}

type Parts = Pick<ReturnType<typeof createAnalysisActivities>, 'analyseAlert'> & Pick<ReturnType<typeof createPublicationActivities>, 'publishAlert'>;

export function createPackage1Activities({ analyseAlert, publishAlert, now }: Parts & { now: () => Date }) {
  return {
    async analyseClassifyPublish({ alert, product, eventDetection, status, hostnames }: Package1StepInput): Promise<Package1StepResult> {
      const analysis = await analyseAlert({ alert, product });
      const { classification, steps } = classifyAnalysedAlert({ analysis, eventDetection, vendorSeverity: alert.vendorSeverity, source: alert.source });
      const at = now().toISOString();
      const classified: AlertStatus = {
        ...status,
        state: 'classified',
        classification,
        severity: classification.severity,
        timeline: [...status.timeline, ...steps.map((s) => timelineEntry(at, s.kind, s.actor, s.detail))],
      };
      const publication = await publishAlert({ status: classified, hostnames });
      return { analysis, classification, steps, publication };
    },
  };
}
