/** What an alert workflow needs to know of its tenant, captured at intake. */
export type TenantPackage = 1 | 2 | 3;
