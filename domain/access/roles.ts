/** Who may do what through the API. `ingest` and `customer` keys are bound to one tenant (R17). */
export const ROLES = ['ingest', 'customer', 'analyst', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const TENANT_BOUND_ROLES: readonly Role[] = ['ingest', 'customer'];

export const PERMISSIONS = {
  /** Analysts too: an incident opened from a customer's emergency call (R10). */
  ingestAlerts: ['ingest', 'analyst', 'admin'],
  readAlerts: ['ingest', 'customer', 'analyst', 'auditor', 'admin'],
  /** An alert's SOC-internal parts (on-call pages, escalation steps, case notes): the rest see the customer projection. */
  readSocInternals: ['analyst', 'auditor', 'admin'],
  triageAlerts: ['analyst'],
  readQueue: ['analyst', 'admin'],
  requestWorkOrders: ['customer', 'analyst', 'admin'],
  readWorkOrders: ['customer', 'analyst', 'auditor', 'admin'],
  readPlaybooks: ['analyst', 'auditor', 'admin'],
  /** Start and undo playbook runs (R8): the SOC's analysts only. */
  runPlaybooks: ['analyst'],
  /** Put a new playbook or release-matrix revision in force, or roll one back (each change keeps its predecessor). */
  changeConfig: ['admin'],
  readConfigVersions: ['analyst', 'auditor', 'admin'],
  /** Re-decide recorded alerts with a proposed rule, playbook or tenant change (what-if); reads every tenant's alerts. */
  askWhatIf: ['analyst', 'admin'],
  /** Decide an approval bound to one action's digest (R8). */
  approveActions: ['analyst', 'admin'],
  /** Export, replay and read the decision trail of an alert's histories (R18). */
  auditAlerts: ['auditor', 'admin'],
  /** Decode (and encode) Temporal payloads through the codec endpoint: personal data of every tenant in clear (R18). */
  decodePayloads: ['auditor', 'admin'],
  /** The syslog listener's counters and the unparseable lines it kept (they may hold any tenant's data). */
  readIngestStats: ['admin'],
  /** Request a package change (R16): a contractual change, not for customers' keys (R17). */
  changePackages: ['admin'],
  readPackageChanges: ['customer', 'analyst', 'auditor', 'admin'],
  /** Fair-use flags for the SOC's management (R15). */
  readFairUse: ['analyst', 'admin'],
  /** Leak-check findings (R4): the tenant's customer and the SOC's analysts. */
  readLeakFindings: ['customer', 'analyst', 'admin'],
  /** Alert reports and the weekly review report (R3, R11): the tenant's customer and the SOC. */
  readReports: ['customer', 'analyst', 'admin'],
  /** Failed and stuck workflows with their reasons (GET /v1/operations/problems): the SOC's operators. */
  readProblems: ['analyst', 'admin'],
  /** Internal service figures (time to claim, recommendation, close in service hours): the SOC's analysts and management. */
  readServiceFigures: ['analyst', 'admin'],
  /** The embedded set-up's outbox: every message the engine sent, to anyone (`npm start` only). */
  readOutbox: ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/** The caller, as established from its API key. The key itself is never kept. */
export interface Principal {
  keyId: string;
  role: Role;
  /** Set for tenant-bound roles only. */
  tenantId: string | null;
}

export function may(principal: Principal, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(principal.role);
}
