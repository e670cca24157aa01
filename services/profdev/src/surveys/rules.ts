import { badInput } from '@mms/platform';

/** Plain rules of surveys (issue 20), unit-tested in test/help-rules.test.ts. */

/** Groups with fewer answers than this are shown as "too few" to those the suppression applies to. */
export const minimumGroupSize = 5;

export interface SurveyDates {
  opensOn: string;
  closesOn: string;
  closedOn: string | null;
}

/** A survey takes answers from opensOn to closesOn, both included, and not from the day it was closed early. */
export function isOpenOn(survey: SurveyDates, day: string): boolean {
  return survey.opensOn <= day && day <= survey.closesOn && (survey.closedOn === null || day < survey.closedOn);
}

export interface QuestionShape {
  id: string;
  kind: string;
  options: string[];
  scaleMin: number | null;
  scaleMax: number | null;
}

export interface AnswerGiven {
  questionId: string;
  choices?: string[] | null;
  scaleValue?: number | null;
  text?: string | null;
  competencyIds?: string[] | null;
}

export interface AnswerRow {
  question_id: string;
  choices: string[] | null;
  scale_value: number | null;
  text_value: string | null;
  competency_ids: string[] | null;
}

/** Checks answers against the questions (BAD_USER_INPUT naming the answer) and gives the rows to store. */
export function answerRows(questions: QuestionShape[], answers: AnswerGiven[]): AnswerRow[] {
  if (!answers.length) throw badInput('answer at least one question', 'answers');
  const byId = new Map(questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  return answers.map((answer, i) => {
    const field = `answers.${i}`;
    const question = byId.get(answer.questionId);
    if (!question) throw badInput('is not a question of this survey', `${field}.questionId`);
    if (seen.has(question.id)) throw badInput('answers the same question twice', `${field}.questionId`);
    seen.add(question.id);
    const row: AnswerRow = { question_id: question.id, choices: null, scale_value: null, text_value: null, competency_ids: null };
    const given = ['choices', 'scaleValue', 'text', 'competencyIds'].filter((key) => answer[key as keyof AnswerGiven] !== null && answer[key as keyof AnswerGiven] !== undefined);
    const expected = { single: 'choices', multiple: 'choices', scale: 'scaleValue', text: 'text', competency: 'competencyIds' }[question.kind]!;
    if (given.length !== 1 || given[0] !== expected) throw badInput(`a ${question.kind} question is answered with ${expected} only`, field);
    switch (question.kind) {
      case 'single':
      case 'multiple': {
        const choices = [...new Set(answer.choices!)];
        if (!choices.length || (question.kind === 'single' && choices.length !== 1)) {
          throw badInput(question.kind === 'single' ? 'choose exactly one option' : 'choose at least one option', `${field}.choices`);
        }
        const stranger = choices.find((c) => !question.options.includes(c));
        if (stranger !== undefined) throw badInput(`"${stranger}" is not an option of the question`, `${field}.choices`);
        row.choices = choices;
        break;
      }
      case 'scale': {
        const value = answer.scaleValue!;
        if (!Number.isInteger(value) || value < question.scaleMin! || value > question.scaleMax!) {
          throw badInput(`must be a whole number from ${question.scaleMin} to ${question.scaleMax}`, `${field}.scaleValue`);
        }
        row.scale_value = value;
        break;
      }
      case 'text': {
        const text = answer.text!.trim();
        if (!text || text.length > 4000) throw badInput('must be 1 to 4000 characters', `${field}.text`);
        row.text_value = text;
        break;
      }
      default: {
        const ids = [...new Set(answer.competencyIds!)];
        if (!ids.length || ids.length > 20) throw badInput('pick 1 to 20 competencies', `${field}.competencyIds`);
        row.competency_ids = ids;
      }
    }
    return row;
  });
}

/** Ranks counts, most first; ties share a rank (1, 1, 3). */
export function ranked<T extends { count: number; direction: string }>(items: T[]): (T & { rank: number })[] {
  const sorted = [...items].sort((a, b) => b.count - a.count || a.direction.localeCompare(b.direction));
  return sorted.map((item, i) => ({ ...item, rank: sorted.findIndex((other) => other.count === item.count) + 1 }));
}
