/**
 * Results of a competition stage computed from the jurors' scores (the rules, without a database).
 *
 * - A juror's total for an application is Σ weight × value over the stage's criteria.
 * - Jurors who abstain from an application (a declared conflict of interest, or an employment in the application's
 *   organization) are not counted for it: the application's score is the MEAN of the counted jurors' totals, so an
 *   abstention neither helps nor hurts it. An application no juror may score has no score and no place.
 * - Scores are compared rounded to 4 decimals. Ranking is per nomination, highest score first; equal scores share a
 *   place and the next place skips ("1, 2, 2, 4"): ties are never broken silently.
 * - Outcome: place ≤ winnerPlaces → winner; place ≤ prizeWinnerPlaces → prize-winner; otherwise participant (also
 *   without a place). Ties sharing a winning place are all winners.
 * - Advancing: place ≤ advanceCount, so everyone tied at the boundary advances; nobody advances when advanceCount is
 *   null (the final stage).
 */
export interface RankedCriterion { id: string; weight: number }
export interface RankedEntrant { applicationId: string; nominationId: string; educatorId: string }
export interface RankedScore { juryMemberId: string; applicationId: string; criterionId: string; value: number }
export interface Abstention { juryMemberId: string; applicationId: string }
export interface StageRules { winnerPlaces: number; prizeWinnerPlaces: number; advanceCount: number | null }

export interface StageResult {
  applicationId: string;
  nominationId: string;
  educatorId: string;
  score: number | null;
  place: number | null;
  outcome: 'winner' | 'prize_winner' | 'participant';
  isAdvanced: boolean;
  jurorsCounted: number;
}

export interface StageScoring {
  entrants: readonly RankedEntrant[];
  criteria: readonly RankedCriterion[];
  jurors: readonly string[];
  scores: readonly RankedScore[];
  abstentions: readonly Abstention[];
  rules: StageRules;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;
const key = (juror: string, application: string) => `${juror}|${application}`;

/** What is still to be scored before the stage may close: one line per juror and application with a gap. */
export function missingScores(input: Omit<StageScoring, 'rules'>): { juryMemberId: string; applicationId: string; criteriaMissing: number }[] {
  const abstaining = new Set(input.abstentions.map((a) => key(a.juryMemberId, a.applicationId)));
  const scored = new Map<string, Set<string>>();
  for (const s of input.scores) {
    const k = key(s.juryMemberId, s.applicationId);
    if (!scored.has(k)) scored.set(k, new Set());
    scored.get(k)!.add(s.criterionId);
  }
  const missing = [];
  for (const entrant of input.entrants) {
    for (const juror of input.jurors) {
      const k = key(juror, entrant.applicationId);
      if (abstaining.has(k)) continue;
      const done = scored.get(k);
      const criteriaMissing = input.criteria.filter((c) => !done?.has(c.id)).length;
      if (criteriaMissing) missing.push({ juryMemberId: juror, applicationId: entrant.applicationId, criteriaMissing });
    }
  }
  return missing;
}

/** Applications no juror may score (every juror abstains): the stage cannot rank them. */
export function unscorable(input: Omit<StageScoring, 'rules' | 'scores' | 'criteria'>): string[] {
  const abstaining = new Set(input.abstentions.map((a) => key(a.juryMemberId, a.applicationId)));
  return input.entrants.filter((e) => input.jurors.every((j) => abstaining.has(key(j, e.applicationId)))).map((e) => e.applicationId);
}

/** The stage's results, per nomination, in nomination order then place (unplaced last). */
export function computeStageResults(input: StageScoring): StageResult[] {
  const weight = new Map(input.criteria.map((c) => [c.id, c.weight]));
  const abstaining = new Set(input.abstentions.map((a) => key(a.juryMemberId, a.applicationId)));
  const jurors = new Set(input.jurors);
  const totals = new Map<string, number>();
  for (const s of input.scores) {
    if (!jurors.has(s.juryMemberId) || !weight.has(s.criterionId)) continue;
    const k = key(s.juryMemberId, s.applicationId);
    if (abstaining.has(k)) continue;
    totals.set(k, (totals.get(k) ?? 0) + weight.get(s.criterionId)! * s.value);
  }
  const scored = input.entrants.map((entrant) => {
    const counted = input.jurors.filter((j) => totals.has(key(j, entrant.applicationId)));
    const score = counted.length
      ? round4(counted.reduce((sum, j) => sum + totals.get(key(j, entrant.applicationId))!, 0) / counted.length)
      : null;
    return { ...entrant, score, jurorsCounted: counted.length };
  });

  const results: StageResult[] = [];
  const nominations = [...new Set(input.entrants.map((e) => e.nominationId))];
  for (const nomination of nominations) {
    const group = scored.filter((e) => e.nominationId === nomination)
      .sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity) || a.applicationId.localeCompare(b.applicationId));
    let place = 0;
    let previous: number | null = null;
    group.forEach((entry, index) => {
      if (entry.score === null) {
        results.push({ ...entry, place: null, outcome: 'participant', isAdvanced: false });
        return;
      }
      if (entry.score !== previous) place = index + 1;
      previous = entry.score;
      const { winnerPlaces, prizeWinnerPlaces, advanceCount } = input.rules;
      const outcome = place <= winnerPlaces ? 'winner' : place <= prizeWinnerPlaces ? 'prize_winner' : 'participant';
      results.push({ ...entry, place, outcome, isAdvanced: advanceCount !== null && place <= advanceCount });
    });
  }
  return results;
}
