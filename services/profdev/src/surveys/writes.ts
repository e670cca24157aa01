import type { Knex } from 'knex';
import { badInput, conflict, forbidden, notFound, requireMunicipalities, requireOrganizations, type Scope } from '@mms/platform';
import { requireMunicipalityWrite } from '../community';
import { answerRows, isOpenOn, type AnswerGiven } from './rules';
import * as store from './store';
import type { SurveyInput } from './validate';

/** The writes of surveys: one mutation each, inside the transaction they are given. */

export async function createSurvey(trx: Knex, scope: Scope, input: SurveyInput) {
  if (input.municipalityId) {
    requireMunicipalityWrite(scope, input.municipalityId);
    await requireMunicipalities(trx, [input.municipalityId]);
  } else if (scope.kind !== 'region') {
    throw forbidden('a survey of the whole region is region_admin\'s: name your municipality');
  }
  if (input.organizationId) {
    const organization = (await requireOrganizations(trx, [input.organizationId])).get(input.organizationId)!;
    if (organization.municipalityId !== input.municipalityId) throw badInput('the organization is not in that municipality', 'input.organizationId');
  }
  if (input.associationId) {
    const association = await trx('method_association').where('id', input.associationId).select('municipality_id as municipalityId').first();
    if (!association) throw notFound('method association', input.associationId);
    if (input.municipalityId && association.municipalityId !== input.municipalityId) throw badInput('the association is of another municipality', 'input.associationId');
  }
  return store.insertSurvey(trx, {
    title: input.title, description: input.description ?? null, municipality_id: input.municipalityId ?? null, organization_id: input.organizationId ?? null,
    association_id: input.associationId ?? null, early_career_only: input.earlyCareerOnly, staff_category: input.staffCategory ?? null, is_anonymous: input.isAnonymous,
    opens_on: input.opensOn, closes_on: input.closesOn,
  }, input.questions.map((q) => ({
    kind: q.kind, text: q.text, options: q.options ?? [], scale_min: q.scaleMin ?? null, scale_max: q.scaleMax ?? null, is_upskilling_direction: q.isUpskillingDirection,
  })));
}

/** The survey, if the writer's: region_admin's any, a municipality's methodists their municipality's. */
export async function surveyForWrite(trx: Knex, scope: Scope, id: string) {
  const survey = await store.findSurvey(trx, id);
  if (!survey) throw notFound('survey', id);
  if (survey.municipalityId) requireMunicipalityWrite(scope, survey.municipalityId);
  else if (scope.kind !== 'region') throw forbidden('a survey of the whole region is region_admin\'s');
  return survey;
}

export async function closeSurvey(trx: Knex, scope: Scope, id: string, day: string) {
  const survey = await surveyForWrite(trx, scope, id);
  if (!isOpenOn(survey, day)) throw conflict('the survey does not take answers that day: nothing to close', 'id');
  await trx('survey').where({ id }).update({ closed_on: day });
  return id;
}

/** An educator of the audience answers an open survey once; nothing links an anonymous answer to them. */
export async function answerSurvey(trx: Knex, educatorId: string, surveyId: string, answers: AnswerGiven[], day: string) {
  const survey = await store.findSurvey(trx, surveyId, { forShare: true });
  if (!survey) throw notFound('survey', surveyId);
  if (!(await store.isInAudience(trx, surveyId, educatorId, day))) throw forbidden('you are not in this survey\'s audience');
  if (!isOpenOn(survey, day)) throw conflict(survey.closedOn && day >= survey.closedOn ? `the survey was closed on ${survey.closedOn}` : `the survey takes answers from ${survey.opensOn} to ${survey.closesOn}`, 'surveyId');
  if (await store.hasAnswered(trx, surveyId, educatorId)) throw conflict('you have already answered this survey', 'surveyId');
  const questions = await store.questionsBySurveys(trx, [surveyId]);
  const rows = answerRows(questions, answers);
  const picked = [...new Set(rows.flatMap((row) => row.competency_ids ?? []))];
  if (picked.length) {
    const known = await store.competencyTitles(trx, picked);
    const stranger = picked.find((cid) => !known.some((k) => k.id === cid));
    if (stranger) throw badInput(`competency ${stranger} is not in the framework`, 'answers');
  }
  const municipalityId = await store.respondentMunicipality(trx, survey, educatorId, day);
  if (!municipalityId) throw forbidden('you are employed nowhere today');
  try {
    await store.insertAnswer(trx, survey, educatorId, municipalityId, day, rows);
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw conflict('you have already answered this survey', 'surveyId');
    throw error;
  }
  return { surveyId, submittedOn: day };
}
