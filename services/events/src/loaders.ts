import { can, groupLoader, isUuid, loaderFamily, personOrder, readScope, rowLoader, type BaseContext } from '@mms/platform';
import { jurorIdentity } from './competitions';
import * as competitions from './store/competitions';
import * as events from './store/events';
import * as olympiads from './store/olympiads';
import * as plans from './store/plans';

/** The events subgraph's per-request loaders: one SQL statement per batch, whatever the number of parents. */
export function createLoaders(base: BaseContext) {
  const { db, viewer } = base;
  // Anonymous callers fail here, on first use, with UNAUTHENTICATED (the public calendar uses no loader).
  const scope = () => readScope(viewer);
  const who = jurorIdentity(viewer);
  const ids = (keys: readonly string[]) => keys.filter(isUuid);
  return {
    event: rowLoader((keys) => events.eventsByIds(db, ids(keys)), (row) => row.id),
    eventsOfHost: loaderFamily((period: { from?: string | null; to?: string | null }) =>
      groupLoader((keys) => events.eventsByHosts(db, ids(keys), period), (row) => row.hostId)),
    participationsOfEvent: groupLoader((keys) => events.participationsByEvents(db, scope(), keys), (row) => row.eventId),
    participationsOfEducator: groupLoader((keys) => events.participationsByEducators(db, scope(), ids(keys)), (row) => row.educatorId),

    competition: rowLoader((keys) => competitions.competitionsByIds(db, ids(keys)), (row) => row.id),
    nomination: rowLoader((keys) => competitions.nominationsByIds(db, ids(keys)), (row) => row.id),
    nominationsOfCompetition: groupLoader((keys) => competitions.nominationsByCompetitions(db, keys), (row) => row.competitionId),
    stage: rowLoader((keys) => competitions.stagesByIds(db, ids(keys)), (row) => row.id),
    stagesOfCompetition: groupLoader((keys) => competitions.stagesByCompetitions(db, keys), (row) => row.competitionId),
    criterion: rowLoader((keys) => competitions.criteriaByIds(db, ids(keys)), (row) => row.id),
    criteriaOfStage: groupLoader((keys) => competitions.criteriaByStages(db, keys), (row) => row.stageId),
    juryMember: rowLoader((keys) => competitions.juryByIds(db, ids(keys)), (row) => row.id),
    juryOfStage: groupLoader((keys) => competitions.juryByStages(db, keys, personOrder(viewer)), (row) => row.stageId),
    /** Applications the caller may see (scope, or a juror of the competition). */
    application: rowLoader((keys) => competitions.applicationsByIds(db, scope(), who, ids(keys)), (row) => row.id),
    /** An application referenced by a row the caller was already allowed to see (a score, a result, a declaration). */
    applicationOfVisibleRow: rowLoader((keys) => competitions.applicationsByIdsUnscoped(db, keys), (row) => row.id),
    applicationsOfCompetition: groupLoader((keys) => competitions.applicationsByCompetitions(db, scope(), who, keys), (row) => row.competitionId),
    applicationsOfEducator: groupLoader((keys) => competitions.applicationsByEducators(db, scope(), ids(keys)), (row) => row.educatorId),
    entrantsOfStage: groupLoader((keys) => competitions.entrantsByStages(db, scope(), who, keys), (row) => row.stageId),
    scoresOfStage: groupLoader((keys) => competitions.scoresByStages(db, keys, {
      scope: viewer.role === 'anonymous' ? null : scope(),
      organizerScope: can(viewer, 'competition:write') ? scope() : null,
      who,
    }), (row) => row.stageId),
    conflictsOfStage: groupLoader((keys) => competitions.conflictsByStages(db, keys), (row) => row.stageId),
    resultsOfStage: groupLoader((keys) => competitions.resultsByStages(db, scope(), keys), (row) => row.stageId),
    finalResultsOfCompetition: groupLoader((keys) => competitions.finalResultsByCompetitions(db, scope(), keys), (row) => row.competitionId),
    resultsOfEducator: groupLoader((keys) => competitions.resultsByEducators(db, scope(), ids(keys)), (row) => row.educatorId),

    venuesOfOlympiad: groupLoader((keys) => olympiads.venuesByOlympiads(db, keys), (row) => row.olympiadId),
    tasksOfOlympiad: groupLoader((keys) => olympiads.tasksByOlympiads(db, keys), (row) => row.olympiadId),
    activitiesOfPlan: groupLoader((keys) => plans.activitiesByPlans(db, keys), (row) => row.planId),
    eventIdsOfActivity: groupLoader((keys) => plans.eventIdsByActivities(db, keys), (row) => row.activityId),
  };
}

export type Context = BaseContext & { loaders: ReturnType<typeof createLoaders> };

export function createContext(base: BaseContext): Context {
  return { ...base, loaders: createLoaders(base) };
}
