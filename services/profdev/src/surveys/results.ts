import type { Knex } from 'knex';
import { minimumGroupSize, ranked } from './rules';
import * as store from './store';
import type { DirectionCountRow, OptionCountRow, QuestionResult, QuestionRow, ResultGroup, SurveyRow } from './store';

/**
 * A survey's results by municipality. Groups of fewer than 5 answers are "too few" (no counts) when `suppress` holds
 * (analysts; everyone on an anonymous survey). The first group is the whole asked scope, summed over the groups shown
 * only: adding the suppressed ones would let a reader recover them by subtraction.
 */
export async function surveyResults(db: Knex, survey: SurveyRow, municipalityIds: string[] | null, suppress: boolean, withTexts: boolean): Promise<ResultGroup[]> {
  const sizes = await store.groupSizes(db, survey.id, municipalityIds);
  const shown = sizes.filter((g) => !suppress || g.count >= minimumGroupSize).map((g) => g.municipalityId);
  const questions = await store.questionsBySurveys(db, [survey.id]);
  const [aggregates, choices, texts] = shown.length
    ? await Promise.all([store.answerAggregates(db, survey.id, shown), store.choiceCounts(db, survey.id, shown),
      withTexts ? store.texts(db, survey.id, shown, 50) : Promise.resolve([])])
    : [[], [], []];
  const competencyIds = [...new Set(choices.map((c) => c.competencyId).filter((cid): cid is string => cid !== null))];
  const titles = new Map((competencyIds.length ? await store.competencyTitles(db, competencyIds) : []).map((c) => [c.id, c.title]));

  const build = (municipalityId: string | null, members: string[], responseCount: number): ResultGroup => {
    const inGroup = (m: string) => members.includes(m);
    const results: QuestionResult[] = questions.map((question: QuestionRow) => {
      const own = aggregates.filter((a) => a.questionId === question.id && inGroup(a.municipalityId));
      const answerCount = own.reduce((sum, a) => sum + a.answerCount, 0);
      const scaleSum = own.reduce((sum, a) => sum + (a.scaleSum ?? 0), 0);
      const counts = new Map<string, OptionCountRow>();
      for (const c of choices.filter((x) => x.questionId === question.id && inGroup(x.municipalityId))) {
        const key = c.option ?? c.competencyId!;
        const row = counts.get(key) ?? { option: c.option ?? titles.get(c.competencyId!) ?? c.competencyId!, competencyId: c.competencyId, count: 0 };
        row.count += c.count;
        counts.set(key, row);
      }
      return {
        question,
        answerCount,
        counts: [...counts.values()].sort((a, b) => b.count - a.count || a.option.localeCompare(b.option)),
        average: question.kind === 'scale' && answerCount ? Math.round((scaleSum / answerCount) * 100) / 100 : null,
        texts: question.kind === 'text' && withTexts ? texts.filter((t) => t.questionId === question.id && inGroup(t.municipalityId)).map((t) => t.text) : null,
      };
    });
    const directions = new Map<string, { direction: string; competencyId: string | null; option: string; count: number }>();
    for (const result of results.filter((r) => r.question.isUpskillingDirection)) {
      for (const c of result.counts) {
        const key = c.competencyId ?? c.option;
        const row = directions.get(key) ?? { direction: c.option, option: c.option, competencyId: c.competencyId, count: 0 };
        row.count += c.count;
        directions.set(key, row);
      }
    }
    return { municipalityId, responseCount, isSuppressed: false, questions: results, topDirections: ranked([...directions.values()]).slice(0, 20) as DirectionCountRow[] };
  };

  const total = sizes.filter((g) => shown.includes(g.municipalityId)).reduce((sum, g) => sum + g.count, 0);
  return [
    build(null, shown, total),
    ...sizes.map((g) => (shown.includes(g.municipalityId)
      ? build(g.municipalityId, [g.municipalityId], g.count)
      : { municipalityId: g.municipalityId, responseCount: null, isSuppressed: true, questions: [], topDirections: [] })),
  ];
}
