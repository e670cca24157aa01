import { computeStageResults, missingScores, unscorable, type StageScoring } from '../src/ranking';
import { placementFor, promotions, waitingList } from '../src/waitlist';
import { localDay, localIso, offsetMinutes } from '../src/localtime';

const criteria = [{ id: 'c1', weight: 1 }, { id: 'c2', weight: 2 }];
const entrant = (applicationId: string, nominationId = 'n1') => ({ applicationId, nominationId, educatorId: `e-${applicationId}` });
/** Scores of one juror for one application: [c1, c2]. */
const scored = (juryMemberId: string, applicationId: string, [v1, v2]: [number, number]) => [
  { juryMemberId, applicationId, criterionId: 'c1', value: v1 }, { juryMemberId, applicationId, criterionId: 'c2', value: v2 }];

function stage(partial: Partial<StageScoring>): StageScoring {
  return { entrants: [], criteria, jurors: ['j1', 'j2'], scores: [], abstentions: [], rules: { winnerPlaces: 1, prizeWinnerPlaces: 3, advanceCount: null }, ...partial };
}

describe('stage results', () => {
  test('weights count: a point on the criterion of weight 2 is worth two on the other', () => {
    const results = computeStageResults(stage({
      entrants: [entrant('a'), entrant('b')], jurors: ['j1'],
      scores: [...scored('j1', 'a', [10, 0]), ...scored('j1', 'b', [0, 6])],
    }));
    expect(results.map((r) => [r.applicationId, r.score, r.place])).toEqual([['b', 12, 1], ['a', 10, 2]]);
  });

  test('equal scores share a place and the next place is skipped (1, 2, 2, 4); both tied at a winning place win', () => {
    const results = computeStageResults(stage({
      entrants: ['a', 'b', 'c', 'd'].map((id) => entrant(id)), jurors: ['j1'],
      rules: { winnerPlaces: 2, prizeWinnerPlaces: 3, advanceCount: 2 },
      scores: [...scored('j1', 'a', [9, 5]), ...scored('j1', 'b', [7, 4]), ...scored('j1', 'c', [5, 5]), ...scored('j1', 'd', [1, 1])],
    }));
    expect(results.map((r) => [r.applicationId, r.score, r.place, r.outcome, r.isAdvanced])).toEqual([
      ['a', 19, 1, 'winner', true],
      ['b', 15, 2, 'winner', true],
      ['c', 15, 2, 'winner', true], // tied at the boundary: advances too
      ['d', 3, 4, 'participant', false],
    ]);
  });

  test('an abstaining juror is not counted: the mean of the others stands, neither helped nor hurt', () => {
    const results = computeStageResults(stage({
      entrants: [entrant('a'), entrant('b')], jurors: ['j1', 'j2'],
      scores: [...scored('j1', 'a', [10, 5]), ...scored('j2', 'a', [0, 0]), ...scored('j1', 'b', [6, 3]), ...scored('j2', 'b', [6, 3])],
      abstentions: [{ juryMemberId: 'j2', applicationId: 'a' }],
    }));
    expect(results.find((r) => r.applicationId === 'a')).toMatchObject({ score: 20, jurorsCounted: 1, place: 1 });
    expect(results.find((r) => r.applicationId === 'b')).toMatchObject({ score: 12, jurorsCounted: 2, place: 2 });
  });

  test('ranking is per nomination, and means are compared to 4 decimals (no float noise ties)', () => {
    const results = computeStageResults(stage({
      entrants: [entrant('a', 'n1'), entrant('b', 'n2'), entrant('c', 'n2')], jurors: ['j1', 'j2', 'j3'],
      scores: [
        ...scored('j1', 'a', [1, 0]), ...scored('j2', 'a', [1, 0]), ...scored('j3', 'a', [1, 0]),
        ...scored('j1', 'b', [0.1, 0]), ...scored('j2', 'b', [0.2, 0]), ...scored('j3', 'b', [0, 0]),
        ...scored('j1', 'c', [0.3, 0]), ...scored('j2', 'c', [0, 0]), ...scored('j3', 'c', [0, 0]),
      ],
    }));
    expect(results.map((r) => [r.applicationId, r.score, r.place])).toEqual([['a', 1, 1], ['b', 0.1, 1], ['c', 0.1, 1]]);
  });

  test('what is missing before a stage can close, and applications nobody may score', () => {
    const input = { entrants: [entrant('a'), entrant('b')], criteria, jurors: ['j1', 'j2'],
      scores: [...scored('j1', 'a', [1, 1]), { juryMemberId: 'j2', applicationId: 'a', criterionId: 'c1', value: 1 }],
      abstentions: [{ juryMemberId: 'j1', applicationId: 'b' }] };
    expect(missingScores(input)).toEqual([{ juryMemberId: 'j2', applicationId: 'a', criteriaMissing: 1 }, { juryMemberId: 'j2', applicationId: 'b', criteriaMissing: 2 }]);
    expect(unscorable({ ...input, abstentions: [...input.abstentions, { juryMemberId: 'j2', applicationId: 'b' }] })).toEqual(['b']);
  });
});

describe('capacity and the waiting list', () => {
  const event = { capacity: 2, hasWaitingList: true };
  test('listeners beyond capacity wait, or are refused without a waiting list; the programme always gets a place', () => {
    expect(placementFor('listener', event, 1)).toBe('seat');
    expect(placementFor('listener', event, 2)).toBe('waitlist');
    expect(placementFor('listener', { ...event, hasWaitingList: false }, 2)).toBe('refused');
    expect(placementFor('speaker', { ...event, hasWaitingList: false }, 2)).toBe('seat');
    expect(placementFor('listener', { capacity: null, hasWaitingList: false }, 500)).toBe('seat');
  });

  test('freed seats go to the waiting list in order of registration', () => {
    const p = (id: string, isWaitlisted: boolean, registeredAt: string, role = 'listener') => ({ id, role, isWaitlisted, registeredAt });
    const participants = [p('x', false, '2026-01-01T10:00:00Z'), p('late', true, '2026-01-03T10:00:00Z'), p('early', true, '2026-01-02T10:00:00Z'),
      p('s', false, '2026-01-01T09:00:00Z', 'speaker')];
    expect(waitingList(participants).map((w) => w.id)).toEqual(['early', 'late']);
    expect(promotions(participants, 2).map((w) => w.id)).toEqual(['early']);
    expect(promotions(participants, 3).map((w) => w.id)).toEqual(['early', 'late']);
    expect(promotions(participants, 1)).toEqual([]);
  });
});

test('instants are shown in the municipality\'s zone', () => {
  const instant = new Date('2026-03-14T23:30:00Z');
  expect(offsetMinutes(instant, 'Asia/Vladivostok')).toBe(600);
  expect(localIso(instant, 'Asia/Vladivostok')).toBe('2026-03-15T09:30:00+10:00');
  expect(localDay(instant, 'Europe/Moscow')).toBe('2026-03-15');
  expect(localDay(instant, 'Asia/Yekaterinburg')).toBe('2026-03-15');
  expect(localIso(new Date('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe('2026-07-01T14:00:00+02:00');
});
