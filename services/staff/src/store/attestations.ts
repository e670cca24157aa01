/**
 * Category awards and attestation requests: SQL of tables category_award and attestation.
 * (Row types are the contract with the resolvers and the generated types; queries follow.)
 */

export interface CategoryAwardRow {
  id: string;
  educatorId: string;
  category: string;
  position: string;
  awardedOn: string;
  validUntil: string;
  orderNumber: string;
  orderDate: string;
  attestationId: string | null;
}

export interface AttestationRow {
  id: string;
  educatorId: string;
  requestedCategory: string;
  position: string;
  filedOn: string;
  stage: string;
  reviewStartedOn: string | null;
  outcome: string | null;
  decidedOn: string | null;
}

export interface AttestationDueRow {
  educatorId: string;
  expiringAward: CategoryAwardRow;
  dueOn: string;
  openAttestation: AttestationRow | null;
}
