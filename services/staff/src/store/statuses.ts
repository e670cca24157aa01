/**
 * Statuses with terms: SQL of tables educator_status, organization_status and regional_methodist_assignment.
 * (Row types are the contract with the resolvers and the generated types; queries follow.)
 */

export interface EducatorStatusRow {
  id: string;
  educatorId: string;
  kind: string;
  municipalityId: string | null;
  validFrom: string;
  validTo: string | null;
  documentNumber: string;
  documentDate: string;
  documentTitle: string | null;
}

export interface OrganizationStatusRow {
  id: string;
  organizationId: string;
  kind: string;
  direction: string;
  validFrom: string;
  validTo: string | null;
  documentNumber: string;
  documentDate: string;
  documentTitle: string | null;
}

export interface AssignmentRow {
  id: string;
  methodistId: string;
  educatorId: string;
  validFrom: string;
  validTo: string | null;
}
