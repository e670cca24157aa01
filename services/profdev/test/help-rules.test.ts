import { answerRows, isOpenOn, ranked } from '../src/surveys/rules';
import { dueOn, isOverdue, mayMove } from '../src/help/rules';

/** Unit tests of issue 20's plain rules: due days, the lifecycle, overdue; survey periods, answers and ranks. */

test('a request is due its kind\'s term after it was filed', () => {
  expect(dueOn('2026-10-01', 'consultation')).toBe('2026-10-11');
  expect(dueOn('2026-12-25', 'other')).toBe('2027-01-24');
  expect(dueOn('2026-02-20', 'lesson_visit')).toBe('2026-03-12');
});

test('the lifecycle allows only NEW → ASSIGNED → IN_PROGRESS → ANSWERED → CLOSED, and DECLINED before an answer', () => {
  expect(mayMove('assign', 'new')).toBe(true);
  expect(mayMove('assign', 'answered')).toBe(false);
  expect(mayMove('start', 'new')).toBe(false);
  expect(mayMove('answer', 'assigned')).toBe(true);
  expect(mayMove('close', 'in_progress')).toBe(false);
  expect(mayMove('decline', 'answered')).toBe(false);
  expect(mayMove('rate', 'closed')).toBe(true);
  expect(mayMove('rate', 'declined')).toBe(false);
});

test('overdue: open after the due day, or answered after it; never a declined one', () => {
  expect(isOverdue({ status: 'assigned', dueOn: '2026-10-11', answeredOn: null }, '2026-10-11')).toBe(false);
  expect(isOverdue({ status: 'assigned', dueOn: '2026-10-11', answeredOn: null }, '2026-10-12')).toBe(true);
  expect(isOverdue({ status: 'closed', dueOn: '2026-10-11', answeredOn: '2026-10-12' }, '2026-10-01')).toBe(true);
  expect(isOverdue({ status: 'declined', dueOn: '2026-10-11', answeredOn: null }, '2027-01-01')).toBe(false);
});

test('a survey takes answers from its first to its last day, and not from the day it was closed', () => {
  const survey = { opensOn: '2026-10-01', closesOn: '2026-10-31', closedOn: null };
  expect([isOpenOn(survey, '2026-09-30'), isOpenOn(survey, '2026-10-01'), isOpenOn(survey, '2026-10-31'), isOpenOn(survey, '2026-11-01')]).toEqual([false, true, true, false]);
  expect(isOpenOn({ ...survey, closedOn: '2026-10-15' }, '2026-10-14')).toBe(true);
  expect(isOpenOn({ ...survey, closedOn: '2026-10-15' }, '2026-10-15')).toBe(false);
});

test('answers are checked against their questions', () => {
  const questions = [
    { id: 'q1', kind: 'single', options: ['да', 'нет'], scaleMin: null, scaleMax: null },
    { id: 'q2', kind: 'multiple', options: ['a', 'b', 'c'], scaleMin: null, scaleMax: null },
    { id: 'q3', kind: 'scale', options: [], scaleMin: 1, scaleMax: 5 },
    { id: 'q4', kind: 'text', options: [], scaleMin: null, scaleMax: null },
  ];
  expect(answerRows(questions, [{ questionId: 'q2', choices: ['a', 'c', 'a'] }, { questionId: 'q4', text: '  трудно  ' }])).toEqual([
    { question_id: 'q2', choices: ['a', 'c'], scale_value: null, text_value: null, competency_ids: null },
    { question_id: 'q4', choices: null, scale_value: null, text_value: 'трудно', competency_ids: null },
  ]);
  const field = (f: () => unknown) => { try { f(); return null; } catch (error) { return (error as { extensions: { field: string } }).extensions.field; } };
  expect(field(() => answerRows(questions, []))).toBe('answers');
  expect(field(() => answerRows(questions, [{ questionId: 'q9', scaleValue: 1 }]))).toBe('answers.0.questionId');
  expect(field(() => answerRows(questions, [{ questionId: 'q1', choices: ['да', 'нет'] }]))).toBe('answers.0.choices');
  expect(field(() => answerRows(questions, [{ questionId: 'q3', scaleValue: 2 }, { questionId: 'q3', scaleValue: 3 }]))).toBe('answers.1.questionId');
  expect(field(() => answerRows(questions, [{ questionId: 'q3', scaleValue: 0 }]))).toBe('answers.0.scaleValue');
  expect(field(() => answerRows(questions, [{ questionId: 'q3', text: '3' }]))).toBe('answers.0');
  expect(field(() => answerRows(questions, [{ questionId: 'q4', text: '   ' }]))).toBe('answers.0.text');
});

test('directions are ranked by count; ties share a rank', () => {
  expect(ranked([{ direction: 'b', count: 3 }, { direction: 'a', count: 5 }, { direction: 'c', count: 3 }, { direction: 'd', count: 1 }]).map((r) => [r.rank, r.direction]))
    .toEqual([[1, 'a'], [2, 'b'], [2, 'c'], [4, 'd']]);
});
