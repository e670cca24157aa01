import type { Knex } from 'knex';
import type { Scope } from '@mms/platform';
import * as surveys from '../surveys/writes';
import { surveyInput } from '../surveys/validate';
import { fileHelpRequestInput } from './validate';
import * as writes from './writes';

/**
 * Demo data of issue 20's remaining parts: a method association's request for help filed by its leader (new), and a
 * survey addressed to managerial staff only, answered by the managers of the demo municipality. Written through the
 * mutations' functions, as its leader and as the service.
 */
export async function seedAssociationRequestsAndRoleSurveys(trx: Knex): Promise<Record<string, number>> {
  const counts = { associationRequests: 0, managerSurveyAnswers: 0 };
  const association: { id: string; municipalityId: string; leaderId: string } | undefined = await trx('method_association')
    .whereNotNull('leader_id').orderBy('title').select('id', 'municipality_id as municipalityId', 'leader_id as leaderId').first();
  if (!association) return counts;
  const leader: Scope = { kind: 'educator', educatorId: association.leaderId };
  await writes.fileRequest(trx, { role: 'educator', educatorId: association.leaderId }, leader, fileHelpRequestInput.parse({
    associationId: association.id, topic: 'Методическое сопровождение открытых уроков членов объединения: график посещений', kind: 'lesson_visit', filedOn: '2026-11-27',
  }), '2026-11-27');
  counts.associationRequests = 1;

  const region: Scope = { kind: 'region' };
  const managers: { id: string }[] = await trx('staff_api.employment').distinct('educator_id as id')
    .where({ municipality_id: association.municipalityId, staff_category: 'managerial' }).whereNull('ended_on').orderBy('educator_id');
  const survey = await surveys.createSurvey(trx, region, surveyInput.parse({
    title: 'Анкета руководителей: потребности управленческих команд', municipalityId: association.municipalityId, staffCategory: 'managerial', isAnonymous: false,
    opensOn: '2026-11-01', closesOn: '2026-12-20', questions: [{ kind: 'single', text: 'Нужна ли вашей команде консультация по внутришкольной системе наставничества?', options: ['да', 'нет'] }],
  }));
  const [question] = await trx('survey_question').where('survey_id', survey).select('id');
  for (const [i, manager] of managers.entries()) {
    await surveys.answerSurvey(trx, manager.id, survey, [{ questionId: question.id, choices: [i % 3 ? 'да' : 'нет'] }], '2026-11-20');
    counts.managerSurveyAnswers += 1;
  }
  return counts;
}
