import type { Knex } from 'knex';
import {
  authorize, badInput, conflict, forbidden, notFound, requireEducators, requireMunicipalities, requireOrganizations, today,
  translateUniqueViolation, type Scope, type Viewer,
} from '@mms/platform';
import { computeStageResults, missingScores, unscorable } from './ranking';
import * as store from './store/competitions';
import type { ApplicationRow, CompetitionRow, ConflictRow, JurorIdentity, JuryMemberRow, ScoreRow, StageRow } from './store/competitions';
import { municipalityInScope, type CreateCompetitionInput, type FileApplicationInput, type JuryMemberInput, type ScoreApplicationInput } from './validate';

/**
 * Professional competitions: one mutation's work per function, inside the transaction it is given. Writes to a stage
 * (scores, declarations, closing) take a lock of the stage row, so a score cannot slip in while the stage closes.
 */

export const jurorIdentity = (viewer: Viewer): JurorIdentity => ({ educatorId: viewer.educatorId, subject: viewer.subject });

async function competitionOf(db: Knex, id: string): Promise<CompetitionRow> {
  const [competition] = await store.competitionsByIds(db, [id]);
  if (!competition) throw notFound('competition', id);
  return competition;
}

function assertOrganizer(scope: Scope, competition: CompetitionRow) {
  if (!municipalityInScope(scope, competition.municipalityId)) throw forbidden('this competition is outside your scope');
}

async function lockedStage(db: Knex, id: string): Promise<StageRow> {
  const stage = await store.lockStage(db, id);
  if (!stage) throw notFound('stage', id);
  return stage;
}

async function firstStage(db: Knex, competitionId: string): Promise<StageRow> {
  const stages = await store.stagesByCompetitions(db, [competitionId]);
  return (await store.lockStage(db, stages[0].id))!;
}

export async function createCompetition(trx: Knex, scope: Scope, input: CreateCompetitionInput): Promise<CompetitionRow> {
  await requireMunicipalities(trx, [input.municipalityId]);
  if (!municipalityInScope(scope, input.municipalityId)) throw forbidden('this municipality is outside your scope');
  const [{ id }] = await trx('competition').insert({
    title: input.title, level: input.level, municipality_id: input.municipalityId, year: input.year, description: input.description ?? null,
  }).returning('id');
  await trx('nomination').insert(input.nominations.map((title) => ({ competition_id: id, title })));
  for (const [i, stage] of input.stages.entries()) {
    const [{ id: stageId }] = await trx('stage').insert({
      competition_id: id, ordinal: i + 1, title: stage.title, starts_on: stage.startsOn, ends_on: stage.endsOn,
      application_deadline: stage.applicationDeadline ?? null, winner_places: stage.winnerPlaces ?? 1,
      prize_winner_places: stage.prizeWinnerPlaces ?? 3, advance_count: stage.advanceCount ?? null,
    }).returning('id');
    await trx('criterion').insert(stage.criteria.map((c, k) => ({
      stage_id: stageId, ordinal: k + 1, title: c.title, scale_min: c.scaleMin, scale_max: c.scaleMax, weight: c.weight ?? 1,
    })));
  }
  return competitionOf(trx, id);
}

export async function addJuryMember(trx: Knex, scope: Scope, stageId: string, input: JuryMemberInput): Promise<JuryMemberRow> {
  const stage = await lockedStage(trx, stageId);
  assertOrganizer(scope, await competitionOf(trx, stage.competitionId));
  if (stage.closedAt) throw conflict('the stage is closed: its jury is final', 'stageId');
  if (input.educatorId) await requireEducators(trx, [input.educatorId], undefined, 'input.educatorId');
  if (input.organizationId) await requireOrganizations(trx, [input.organizationId]);
  const [{ id }] = await translateUniqueViolation(() => trx('jury_member').insert({
    stage_id: stageId, educator_id: input.educatorId ?? null, subject: input.subject ?? null, full_name: input.fullName ?? null,
    organization_id: input.organizationId ?? null, is_chair: input.isChair ?? false,
  }).returning('id'), {
    jury_member_educator: ['the educator is already on this stage\'s jury', 'input.educatorId'],
    jury_member_subject: ['this subject is already on this stage\'s jury', 'input.subject'],
  });
  return (await store.juryByIds(trx, [id]))[0];
}

/** Whose application a call is about: the caller's own ('application:own') or someone else's ('application:write'). */
async function applicant(trx: Knex, viewer: Viewer, educatorId: string | null | undefined): Promise<{ educatorId: string; own: boolean }> {
  if (!educatorId || educatorId === viewer.educatorId) {
    authorize(viewer, 'application:own');
    if (!viewer.educatorId) throw badInput('input.educatorId: give whose application it is (your token names no educator)', 'input.educatorId');
    await requireEducators(trx, [viewer.educatorId]);
    return { educatorId: viewer.educatorId, own: true };
  }
  const scope = authorize(viewer, 'application:write');
  await requireEducators(trx, [educatorId], scope, 'input.educatorId');
  return { educatorId, own: false };
}

export async function fileApplication(trx: Knex, viewer: Viewer, input: FileApplicationInput): Promise<ApplicationRow> {
  const who = await applicant(trx, viewer, input.educatorId);
  const [nomination] = await store.nominationsByIds(trx, [input.nominationId]);
  if (!nomination) throw notFound('nomination', input.nominationId);
  const competition = await competitionOf(trx, nomination.competitionId);
  const [{ timeZone }] = [...(await requireMunicipalities(trx, [competition.municipalityId])).values()];
  const stage = await firstStage(trx, competition.id);
  const todayThere = today(timeZone);
  // An educator files today; whoever files for others may record a paper application with its own day.
  const filedOn = who.own ? todayThere : input.filedOn ?? todayThere;
  if (filedOn > todayThere) throw badInput('input.filedOn: must not be in the future', 'input.filedOn');
  const deadline = stage.applicationDeadline ?? stage.endsOn;
  if (stage.closedAt) throw conflict('the first stage is closed: applications are closed', 'input.nominationId');
  if (filedOn > deadline) throw conflict(`applications closed on ${deadline}`, 'input.filedOn');

  const employment = trx('staff_api.employment').first('organization_id as organizationId')
    .where('educator_id', who.educatorId).where('started_on', '<=', filedOn)
    .where((q) => q.whereNull('ended_on').orWhere('ended_on', '>=', filedOn));
  const found = input.organizationId
    ? await employment.where('organization_id', input.organizationId)
    : await employment.orderBy([{ column: 'is_main_job', order: 'desc' }, { column: 'started_on' }]);
  if (!found) {
    throw badInput(input.organizationId ? 'input.organizationId: the educator is not employed there on the filing day'
      : 'input.organizationId: the educator has no employment on the filing day', 'input.organizationId');
  }
  const duplicate = await trx('application').first('id').where({ nomination_id: nomination.id, educator_id: who.educatorId }).whereNot('status', 'withdrawn');
  if (duplicate) throw conflict('the educator has already applied to this nomination', 'input.nominationId');
  const [{ id }] = await translateUniqueViolation(() => trx('application').insert({
    competition_id: competition.id, nomination_id: nomination.id, educator_id: who.educatorId, organization_id: found.organizationId,
    title: input.title ?? null, filed_on: filedOn,
  }).returning('id'), { application_once: ['the educator has already applied to this nomination', 'input.nominationId'] });
  return (await store.applicationsByIdsUnscoped(trx, [id]))[0];
}

async function applicationOf(db: Knex, id: string): Promise<ApplicationRow> {
  const [application] = await store.applicationsByIdsUnscoped(db, [id]);
  if (!application) throw notFound('application', id);
  return application;
}

export async function reviewApplication(trx: Knex, scope: Scope, id: string, status: string): Promise<ApplicationRow> {
  const application = await applicationOf(trx, id);
  assertOrganizer(scope, await competitionOf(trx, application.competitionId));
  if (status !== 'accepted' && status !== 'rejected') throw badInput('status: an application is reviewed to ACCEPTED or REJECTED', 'status');
  if (application.status === 'withdrawn') throw conflict('the application was withdrawn', 'id');
  const stage = await firstStage(trx, application.competitionId);
  if (stage.closedAt) throw conflict('the first stage is closed: its entrants are final', 'id');
  await trx('application').where('id', id).update({ status });
  return applicationOf(trx, id);
}

export async function withdrawApplication(trx: Knex, viewer: Viewer, id: string): Promise<ApplicationRow> {
  const application = await applicationOf(trx, id);
  await applicant(trx, viewer, application.educatorId);
  if (application.status === 'withdrawn') throw conflict('the application is already withdrawn', 'id');
  const stage = await firstStage(trx, application.competitionId);
  if (stage.closedAt) throw conflict('the first stage is closed: the application stays in the results', 'id');
  await trx('application').where('id', id).update({ status: 'withdrawn' });
  return applicationOf(trx, id);
}

/** The juror the caller is on an open stage, and the application as an entrant of it. */
async function jurorAndEntrant(trx: Knex, viewer: Viewer, stageId: string, applicationId: string) {
  authorize(viewer, 'score:write');
  const stage = await lockedStage(trx, stageId);
  const juror = await store.jurorOfStage(trx, stageId, jurorIdentity(viewer));
  if (!juror) throw forbidden('you are not on this stage\'s jury');
  if (stage.closedAt) throw conflict('the stage is closed: its scores are frozen', 'stageId');
  const entrant = (await store.entrantsQuery(trx, [stageId]).where('a.id', applicationId))[0] as ApplicationRow | undefined;
  if (!entrant) throw conflict('the application is not an entrant of this stage', 'applicationId');
  return { stage, juror, entrant };
}

export async function declareConflict(trx: Knex, viewer: Viewer, stageId: string, applicationId: string, reason: string): Promise<ConflictRow> {
  const { juror } = await jurorAndEntrant(trx, viewer, stageId, applicationId);
  const scored = await store.allScoresOfStage(trx, stageId);
  if (scored.some((s) => s.juryMemberId === juror.id && s.applicationId === applicationId)) {
    throw conflict('you have already scored this application: a conflict is declared before scoring', 'applicationId');
  }
  const [{ id }] = await translateUniqueViolation(() => trx('conflict_declaration').insert({ jury_member_id: juror.id, application_id: applicationId, reason })
    .returning('id'), { conflict_once: ['you have already declared a conflict with this application', 'applicationId'] });
  return (await store.conflictsByStages(trx, [stageId])).find((c) => c.id === id)!;
}

export async function scoreApplication(trx: Knex, viewer: Viewer, input: ScoreApplicationInput): Promise<ScoreRow[]> {
  const { juror } = await jurorAndEntrant(trx, viewer, input.stageId, input.applicationId);
  const criteria = new Map((await store.criteriaByStages(trx, [input.stageId])).map((c) => [c.id, c]));
  input.scores.forEach((score, i) => {
    const criterion = criteria.get(score.criterionId);
    if (!criterion) throw badInput(`input.scores.${i}.criterionId: not a criterion of this stage`, `input.scores.${i}.criterionId`);
    if (score.value < criterion.scaleMin || score.value > criterion.scaleMax) {
      throw badInput(`input.scores.${i}.value: ${score.value} is outside the scale of «${criterion.title}» (${criterion.scaleMin} to ${criterion.scaleMax})`,
        `input.scores.${i}.value`);
    }
    if (Math.round(score.value * 100) !== score.value * 100) throw badInput(`input.scores.${i}.value: at most two decimals`, `input.scores.${i}.value`);
  });
  const declared = await trx('conflict_declaration').first('id').where({ jury_member_id: juror.id, application_id: input.applicationId });
  if (declared) throw conflict('you declared a conflict with this application and abstain from scoring it', 'applicationId');
  if ((await store.ownOrganizationPairs(trx, input.stageId, [input.applicationId])).some((p) => p.juryMemberId === juror.id)) {
    throw forbidden('a juror cannot score an application from their own organization');
  }
  await trx('score').insert(input.scores.map((s) => ({
    jury_member_id: juror.id, application_id: input.applicationId, criterion_id: s.criterionId, value: s.value,
  }))).onConflict(['jury_member_id', 'application_id', 'criterion_id']).merge(['value', 'scored_at']);
  return (await store.allScoresOfStage(trx, input.stageId)).filter((s) => s.juryMemberId === juror.id && s.applicationId === input.applicationId);
}

/** Closes a stage: results computed from the scores and frozen with it (the database refuses later changes). */
export async function closeStage(trx: Knex, scope: Scope, stageId: string): Promise<StageRow> {
  const stage = await lockedStage(trx, stageId);
  assertOrganizer(scope, await competitionOf(trx, stage.competitionId));
  if (stage.closedAt) throw conflict('the stage is already closed', 'stageId');
  const stages = await store.stagesByCompetitions(trx, [stage.competitionId]);
  const previous = stages.find((s) => s.ordinal === stage.ordinal - 1);
  if (previous && !previous.closedAt) throw conflict(`stage ${previous.ordinal} («${previous.title}») must be closed first`, 'stageId');
  const jury = await store.juryByStages(trx, [stageId], 'name');
  if (!jury.length) throw conflict('the stage has no jury', 'stageId');
  const entrants = (await store.entrantsQuery(trx, [stageId])) as ApplicationRow[];
  const criteria = await store.criteriaByStages(trx, [stageId]);
  const scores = await store.allScoresOfStage(trx, stageId);
  const abstentions = [...(await store.conflictsByStages(trx, [stageId])), ...(await store.ownOrganizationPairs(trx, stageId))];
  const scoring = {
    entrants: entrants.map((e) => ({ applicationId: e.id, nominationId: e.nominationId, educatorId: e.educatorId })),
    criteria, jurors: jury.map((j) => j.id), scores, abstentions,
  };
  const orphans = unscorable(scoring);
  if (orphans.length) throw conflict(`${orphans.length} application(s) have no juror who may score them: add a juror first`, 'stageId');
  const missing = missingScores(scoring);
  if (missing.length) {
    throw appConflict(`scores are missing: ${missing.length} juror-application pair(s) still to score (${missing.reduce((n, m) => n + m.criteriaMissing, 0)} criterion scores)`, missing);
  }
  const results = computeStageResults({ ...scoring, rules: stage });
  if (results.length) {
    await trx('stage_result').insert(results.map((r) => ({
      stage_id: stageId, application_id: r.applicationId, nomination_id: r.nominationId, educator_id: r.educatorId, score: r.score, place: r.place,
      outcome: r.outcome, is_advanced: r.isAdvanced, jurors_counted: r.jurorsCounted,
    })));
  }
  await trx('stage').where('id', stageId).update({ closed_at: trx.fn.now() });
  return (await store.stagesByIds(trx, [stageId]))[0];
}

function appConflict(message: string, missing: unknown[]) {
  const error = conflict(message, 'stageId');
  (error.extensions as Record<string, unknown>).missing = missing.slice(0, 50);
  return error;
}
