import { academicYearPeriod, groupLoader, isUuid, loaderFamily, readScope, rowLoader, type BaseContext } from '@mms/platform';
import * as associations from './store/associations';
import * as completions from './store/completions';
import * as diagnostics from './store/diagnostics';
import * as people from './store/people';
import * as programs from './store/programs';
import * as routes from './store/routes';
import { courseLoaders } from './courses/loaders';
import { internshipLoaders } from './internships/loaders';
import { selfEducationLoaders } from './self-education/loaders';
import { createKnowledgeLoaders } from './practices/loaders';

/**
 * The profdev subgraph's per-request loaders: one SQL statement per batch, whatever the page size. Loaders keyed by
 * educator keep only the educators the caller's scope covers (checked in the same statement) and include the records
 * of duplicates merged into them.
 */
export function createLoaders(base: BaseContext) {
  const { db } = base;
  // Anonymous callers fail here, on first use, with UNAUTHENTICATED.
  const scope = () => readScope(base.viewer);
  // Keys come from clients too (entity references, id arguments): a non-uuid is simply not there.
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  return {
    competency: rowLoader((keys) => programs.competenciesByIds(db, ids(keys)), (row) => row.id),
    program: rowLoader((keys) => programs.programsByIds(db, ids(keys)), (row) => row.id),
    competenciesOfProgram: groupLoader((keys) => programs.competenciesByPrograms(db, keys), (row) => row.programId),
    completionsOfEducator: groupLoader((keys) => completions.completionsByEducators(db, scope(), ids(keys)), (row) => row.educatorId),
    diagnostic: rowLoader((keys) => diagnostics.diagnosticsByIds(db, scope(), ids(keys)), (row) => row.id),
    diagnosticsOfEducator: groupLoader((keys) => diagnostics.diagnosticsByEducators(db, scope(), ids(keys)), (row) => row.educatorId),
    scoresOfDiagnostic: groupLoader((keys) => diagnostics.scoresByDiagnostics(db, keys), (row) => row.diagnosticId),
    deficitsOfDiagnostic: groupLoader((keys) => diagnostics.deficitsByDiagnostics(db, keys), (row) => row.diagnosticId),
    currentDeficitsOfEducator: groupLoader((keys) => diagnostics.currentDeficitsByEducators(db, scope(), ids(keys)), (row) => row.educatorId),
    growthPointsOfOrganization: loaderFamily((academicYear: string) =>
      groupLoader((keys) => diagnostics.growthPoints(db, scope(), 'organization_id', ids(keys), academicYearPeriod(academicYear)), (row) => row.key)),
    route: rowLoader((keys) => routes.routesByIds(db, scope(), ids(keys)), (row) => row.id),
    routesOfEducator: groupLoader((keys) => routes.routesByEducators(db, scope(), ids(keys)), (row) => row.educatorId),
    itemsOfRoute: groupLoader((keys) => routes.itemsByRoutes(db, keys), (row) => row.routeId),
    template: rowLoader((keys) => routes.templatesByIds(db, ids(keys)), (row) => row.id),
    itemsOfTemplate: groupLoader((keys) => routes.itemsByTemplates(db, keys), (row) => row.templateId),
    mentorshipsOfEducator: loaderFamily((activeOn: string | null | undefined) =>
      groupLoader((keys) => people.mentorshipsByEducators(db, scope(), ids(keys), activeOn ?? null), (row) => row.educatorId)),
    supportOfEducator: groupLoader((keys) => people.supportByEducators(db, scope(), ids(keys)), (row) => row.educatorId),
    association: rowLoader((keys) => associations.associationsByIds(db, scope(), ids(keys)), (row) => row.id),
    membersOfAssociation: loaderFamily((activeOn: string | null | undefined) =>
      groupLoader((keys) => associations.membersByAssociations(db, scope(), keys, activeOn ?? null), (row) => row.associationId)),
    membershipsOfEducator: groupLoader((keys) => associations.membershipsByEducators(db, scope(), ids(keys)), (row) => row.educatorId),
    plansOfAssociation: groupLoader((keys) => associations.plansByAssociations(db, keys), (row) => row.associationId),
    itemsOfPlan: groupLoader((keys) => associations.itemsByPlans(db, keys), (row) => row.planId),
    publicationsOfAssociation: loaderFamily((period: { from?: string | null; to?: string | null }) =>
      groupLoader((keys) => associations.publicationsByAssociations(db, keys, period), (row) => row.associationId)),
    meetingsOfCouncil: groupLoader((keys) => associations.meetingsByCouncils(db, keys), (row) => row.councilId),
    ...courseLoaders(base),
    ...internshipLoaders(base),
    ...selfEducationLoaders(base),
    // issue 19: practices and materials
    ...createKnowledgeLoaders(base),
  };
}

export type Context = BaseContext & { loaders: ReturnType<typeof createLoaders> };

export function createContext(base: BaseContext): Context {
  return { ...base, loaders: createLoaders(base) };
}
