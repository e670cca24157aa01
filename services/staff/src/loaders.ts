import { groupLoader, isUuid, loaderFamily, readScope, rowLoader, type BaseContext } from '@mms/platform';
import { educatorsByIds } from './store/educators';
import { employmentsByEducators, employmentsByOrganizations } from './store/employments';
import { municipalitiesByIds } from './store/municipalities';
import { organizationsByIds, organizationsByMunicipalities } from './store/organizations';

/** The staff subgraph's per-request loaders: one SQL statement per batch, whatever the page size. */
export function createLoaders(base: BaseContext) {
  const { db } = base;
  // Anonymous callers fail here, on first use, with UNAUTHENTICATED.
  const scope = () => readScope(base.viewer);
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
      groupLoader((ids) => employmentsByOrganizations(db, scope(), ids, activeOn), (row) => row.organizationId)),
  };
}

export type Context = BaseContext & { loaders: ReturnType<typeof createLoaders> };

export function createContext(base: BaseContext): Context {
  return { ...base, loaders: createLoaders(base) };
}
