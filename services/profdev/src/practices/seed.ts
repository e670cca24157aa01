import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Scope } from '@mms/platform';
import { createMaterial, materialInput } from '../materials/resolvers';
import * as materials from '../materials/store';
import * as service from './service';
import * as store from './store';
import { createProject, projectInput } from './projects';

/**
 * Demo data of issue 19 over the demo municipality: five practices at every stage (one recommended through an expert
 * review of three reviewers, with a file and its author's consent to publish her name), and four materials (public
 * and internal, one with a file), and a municipal project grouping two practices. Written through the same functions as the mutations. Presentations at events are
 * not seeded: the events subgraph's demo data is loaded after this one.
 */

/** A one-page PDF, enough for the signature check and a viewer. */
export const demoPdf = Buffer.from(`%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj
trailer << /Root 1 0 R >>
%%EOF
`, 'latin1');

interface Person { id: string; organizationId: string; municipalityId: string }

export async function seedKnowledge(trx: Knex): Promise<Record<string, number>> {
  const people: Person[] = await trx('staff_api.employment').distinctOn('educator_id')
    .select('educator_id as id', 'organization_id as organizationId', 'municipality_id as municipalityId')
    .whereNull('ended_on').orderBy([{ column: 'educator_id' }, { column: 'started_on' }]);
  if (people.length < 8) return { practices: 0, materials: 0 };
  people.sort((a, b) => a.organizationId.localeCompare(b.organizationId) || a.id.localeCompare(b.id));
  const region: Scope = { kind: 'region' };
  const methodist: service.Actor = { role: 'municipality_methodist', subject: 'demo-seed', educatorId: null };
  const organizations = [...new Set(people.map((p) => p.organizationId))];
  const of = (organizationId: string) => people.filter((p) => p.organizationId === organizationId);
  const competencies = new Map((await trx('competency').select('id', 'code')).map((c: { id: string; code: string }) => [c.code, c.id]));
  const codes = (...list: string[]) => list.flatMap((code) => (competencies.has(code) ? [competencies.get(code)!] : []));

  const specs = [
    { title: 'Наставничество «учитель — учитель»: школа молодого педагога', subjectArea: 'управление', schoolLevel: 'basic' as const, competencyIds: codes('М-1', 'М-2'),
      summary: 'Система наставничества для молодых педагогов: пары наставник — наставляемый, индивидуальный план, взаимопосещение уроков и разбор.',
      results: 'За два года все молодые специалисты школы остались в профессии; трое получили первую категорию.', target: 'recommended' },
    { title: 'Формирующее оценивание на уроках математики', subjectArea: 'математика', schoolLevel: 'basic' as const, competencyIds: codes('М-2'),
      summary: 'Критериальное оценивание и листы самооценки на уроках математики в 5–9 классах.', results: 'Рост доли выполнивших ВПР по математике на 12 %.', target: 'generalised' },
    { title: 'Функциональная грамотность через межпредметные проекты', subjectArea: 'межпредметные', schoolLevel: 'secondary' as const, competencyIds: codes('М-3'),
      summary: 'Межпредметные проекты 10–11 классов по читательской и естественно-научной грамотности.', results: null, target: 'under_study' },
    { title: 'Цифровые инструменты в начальной школе', subjectArea: 'начальные классы', schoolLevel: 'primary' as const, competencyIds: codes('К-1'),
      summary: 'Интерактивные рабочие листы и онлайн-доски на уроках в 1–4 классах.', results: null, target: 'submitted' },
    { title: 'Игровые технологии на уроках истории', subjectArea: 'история', schoolLevel: 'basic' as const, competencyIds: [],
      summary: 'Ролевые игры и квесты на уроках истории.', results: null, target: 'declined' },
  ];
  const practiceIds: string[] = [];
  for (const [i, spec] of specs.entries()) {
    const organizationId = organizations[i % organizations.length];
    const [author, coauthor] = of(organizationId);
    const authors = [{ educatorId: author.id }, ...(coauthor && i < 2 ? [{ educatorId: coauthor.id }] : [])];
    const submittedOn = ['2025-09-15', '2025-10-15', '2025-11-10', '2025-11-20', '2025-11-25'][i];
    const practiceId = await service.submitPractice(trx, { kind: 'educator', educatorId: author.id }, { role: 'educator', subject: null, educatorId: author.id },
      service.submitInput.parse({ ...spec, organizationId, authors, submittedOn }));
    practiceIds.push(practiceId);
    const step = (stage: string, takenOn: string, extra: Record<string, unknown> = {}) =>
      service.advancePractice(trx, region, methodist, practiceId, service.advanceInput.parse({ stage, takenOn, ...extra }));
    if (spec.target === 'declined') {
      await step('declined', '2026-01-20', { note: 'Опыт не обобщается: недостаточно результатов за один год' });
      continue;
    }
    if (spec.target === 'submitted') continue;
    await step('under_study', '2025-11-28');
    // expert review: three reviewers from organizations of no author
    const authorOrganizations = new Set([organizationId]);
    const reviewers: Person[] = [];
    for (const candidate of people.filter((p) => !authorOrganizations.has(p.organizationId)).filter((_, k) => k % 5 === i % 5)) {
      if (reviewers.length === 3) break;
      const worksAt = await store.organizationsOfEducator(trx, candidate.id, '2025-12-01');
      if (!worksAt.some((o) => authorOrganizations.has(o)) && candidate.id !== author.id && candidate.id !== coauthor?.id) reviewers.push(candidate);
    }
    const reviewId = await service.openReview(trx, region, service.reviewInput.parse({ practiceId, openedOn: '2025-12-01', criteria: [
      { title: 'Актуальность и новизна', weight: 2, maxScore: 10 }, { title: 'Результативность', weight: 3, maxScore: 10 }, { title: 'Возможность тиражирования', weight: 1, maxScore: 5 },
    ] }));
    const criteria = await store.criteriaByReviews(trx, [reviewId]);
    for (const [k, reviewer] of reviewers.entries()) {
      await service.addReviewer(trx, region, reviewId, reviewer.id);
      if (spec.target === 'under_study' && k === 2) continue; // the open review: one reviewer still to score
      await service.score(trx, reviewer.id, { reviewId, scores: criteria.map((c, n) => ({ criterionId: c.id, score: Math.max(0, c.maxScore - ((k + n + i) % 3)) })) });
    }
    if (spec.target === 'under_study') continue;
    await service.closeReview(trx, region, reviewId, '2025-12-20');
    await step('generalised', '2026-01-21', { decisionKind: 'council_decision', decisionNumber: 'МС-2026-01', decisionOn: '2026-01-21' });
    if (spec.target === 'generalised') continue;
    await step('recommended', '2026-02-02', { recommendationLevel: 'municipal', decisionKind: 'order', decisionNumber: '27-о', decisionOn: '2026-02-02' });
    await service.setConsent(trx, author.id, practiceId, { consentToPublish: true, publicName: 'Е. В. Соколова' });
    await materials.insertFile(trx, { practiceId, materialId: null, name: 'Программа наставничества.pdf', mimeType: 'application/pdf', content: demoPdf,
      sha256: createHash('sha256').update(demoPdf).digest('hex'), role: 'educator', subject: null });
  }

  const municipalityId = people[0].municipalityId;
  const materialSpecs = [
    { kind: 'methodical_recommendation', title: 'Методические рекомендации по организации наставничества в школе', audiences: ['teachers', 'heads', 'young_specialists'], year: 2026,
      visibility: 'public', annotation: 'Как выстроить наставничество: роли, план, мониторинг. По опыту школ города.', practiceIds: [practiceIds[0]], authorIds: [], withFile: true },
    { kind: 'normative_document', title: 'Распоряжение Минпросвещения России о целевой модели наставничества', audiences: ['heads'], year: 2019, visibility: 'public',
      url: 'https://docs.example/normative/r-145', annotation: 'Целевая модель наставничества обучающихся и педагогов.', withFile: false },
    { kind: 'collection', title: 'Сборник лучших практик формирующего оценивания', audiences: ['teachers'], year: 2026, visibility: 'internal',
      annotation: 'Материалы городского семинара.', practiceIds: [practiceIds[1]], outsideAuthors: 'Редакционная группа МКУ ЦРО', withFile: false },
    { kind: 'media', title: 'Видеозаписи открытых уроков молодых педагогов', audiences: ['young_specialists', 'parents'], year: 2025, visibility: 'public',
      url: 'https://video.example/open-lessons-2025', withFile: false },
  ];
  for (const { withFile, ...spec } of materialSpecs) {
    const materialId = await createMaterial(trx, { kind: 'municipality', municipalityId }, materialInput.parse(spec));
    if (withFile) {
      await materials.insertFile(trx, { practiceId: null, materialId, name: 'Рекомендации по наставничеству.pdf', mimeType: 'application/pdf', content: demoPdf,
        sha256: createHash('sha256').update(demoPdf).digest('hex'), role: 'municipality_methodist', subject: 'demo-seed' });
    }
  }
  await createProject(trx, { kind: 'municipality', municipalityId }, projectInput.parse({
    title: 'Муниципальный проект «Школа наставника»', level: 'municipal', municipalityId, startsOn: '2025-09-01', endsOn: '2027-08-31',
    description: 'Распространение практики наставничества «учитель — учитель» в школах города.', practiceIds: practiceIds.slice(0, 2), organizationIds: organizations.slice(0, 3),
  }));
  return { practices: practiceIds.length, materials: materialSpecs.length, projects: 1 };
}
