import { groupLoader, isUuid, loaderFamily, personOrder, readScope, rowLoader, type BaseContext } from '@mms/platform';
import { attestationsByEducators, attestationsByIds, categoryAwardsByAttestations, categoryAwardsByEducators } from './store/attestations';
import { educatorsByIds } from './store/educators';
import { employmentsByEducators, employmentsByOrganizations } from './store/employments';
import { municipalitiesByIds } from './store/municipalities';
import { organizationsByIds, organizationsByMunicipalities } from './store/organizations';
import { assignmentsByEducators, assignmentsByMethodists, educatorStatusesByEducators, organizationStatusesByOrganizations, type AskedPeriod } from './store/statuses';

/** The staff subgraph's per-request loaders: one SQL statement per batch, whatever the page size. */
export function createLoaders(base: BaseContext) {
  const { db } = base;
  // Anonymous callers fail here, on first use, with UNAUTHENTICATED.
  const scope = () => readScope(base.viewer);
  // Lists of people: by name for a caller who may read names, by id for one who may not.
  const order = personOrder(base.viewer);
  // Keys come from clients too (entity references, id arguments): a non-uuid is simply not there.
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  return {
    municipality: rowLoader((keys) => municipalitiesByIds(db, ids(keys)), (row) => row.id),
    organization: rowLoader((keys) => organizationsByIds(db, ids(keys)), (row) => row.id),
    /** Only the educators the caller's scope covers; the others load as null. */
    educator: rowLoader((keys) => educatorsByIds(db, scope(), ids(keys)), (row) => row.id),
    organizationsOfMunicipality: loaderFamily((kind: string | null | undefined) =>
      groupLoader((ids) => organizationsByMunicipalities(db, ids, kind), (row) => row.municipalityId)),
    employmentsOfEducator: loaderFamily((activeOn: string | null | undefined) =>
      groupLoader((ids) => employmentsByEducators(db, ids, activeOn), (row) => row.educatorId)),
    employmentsOfOrganization: loaderFamily((activeOn: string | null | undefined) =>
      groupLoader((ids) => employmentsByOrganizations(db, scope(), ids, activeOn, order), (row) => row.organizationId)),
    /** Status terms and assignments during a period (null: every term); assignments only of educators the scope covers. */
    statusesOfEducator: loaderFamily((period: AskedPeriod) =>
      groupLoader((ids) => educatorStatusesByEducators(db, ids, period), (row) => row.educatorId)),
    statusesOfOrganization: loaderFamily((period: AskedPeriod) =>
      groupLoader((ids) => organizationStatusesByOrganizations(db, ids, period), (row) => row.organizationId)),
    assignmentsOfMethodist: loaderFamily((period: AskedPeriod) =>
      groupLoader((ids) => assignmentsByMethodists(db, scope(), ids, period, order), (row) => row.methodistId)),
    assignmentsOfEducator: loaderFamily((period: AskedPeriod) =>
      groupLoader((ids) => assignmentsByEducators(db, scope(), ids, period), (row) => row.educatorId)),
    /** Category awards and attestation requests of educators already loaded through the scoped loader, latest first. */
    categoryAwardsOfEducator: groupLoader((ids) => categoryAwardsByEducators(db, ids), (row) => row.educatorId),
    attestationsOfEducator: groupLoader((ids) => attestationsByEducators(db, ids), (row) => row.educatorId),
    attestation: rowLoader((keys) => attestationsByIds(db, ids(keys)), (row) => row.id),
    /** The award a granted attestation produced, by the attestation's id. */
    categoryAwardOfAttestation: rowLoader((keys) => categoryAwardsByAttestations(db, ids(keys)), (row) => row.attestationId!),
  };
}

export type Context = BaseContext & { loaders: ReturnType<typeof createLoaders> };

export function createContext(base: BaseContext): Context {
  return { ...base, loaders: createLoaders(base) };
}
