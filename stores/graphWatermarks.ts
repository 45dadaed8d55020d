/**
 * Where each tenant's Graph alert pull stopped. The mark moves only after every alert of a pull was handed to
 * Temporal, so a crash re-reads from the old mark (duplicates are recognised by the alert's business key).
 */
export interface GraphAlertWatermark {
  lastUpdateDateTime: string;
  idsAtWatermark: string[];
}

export interface GraphWatermarks {
  get(tenantId: string): Promise<GraphAlertWatermark | null>;
  set(tenantId: string, watermark: GraphAlertWatermark, pulledAt: Date): Promise<void>;
}

export function watermarkOf(lastUpdateDateTime: unknown, idsJson: unknown): GraphAlertWatermark {
  const ids: unknown = JSON.parse(String(idsJson));
  if (typeof lastUpdateDateTime !== 'string' || !Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    throw new Error('a stored Graph watermark is malformed');
  }
  return { lastUpdateDateTime, idsAtWatermark: ids };
}
