import { z } from 'zod';
import { date, id, text } from '../validate';

/** Input rules of surveys (zod). */

const question = z.object({
  kind: z.enum(['single', 'multiple', 'scale', 'text', 'competency']),
  text: text(2000),
  options: z.array(text(500)).max(50).nullish(),
  scaleMin: z.number().int().min(-100).max(100).nullish(),
  scaleMax: z.number().int().min(-100).max(100).nullish(),
  isUpskillingDirection: z.boolean().nullish().transform((b) => b ?? false),
}).superRefine((q, ctx) => {
  const choice = q.kind === 'single' || q.kind === 'multiple';
  const options = q.options ?? [];
  if (choice && (options.length < 2 || new Set(options).size !== options.length)) ctx.addIssue({ code: 'custom', message: 'a choice question has 2 to 50 different options', path: ['options'] });
  if (!choice && options.length) ctx.addIssue({ code: 'custom', message: `a ${q.kind} question has no options`, path: ['options'] });
  const scale = q.kind === 'scale';
  if (scale && (q.scaleMin == null || q.scaleMax == null || q.scaleMin >= q.scaleMax)) ctx.addIssue({ code: 'custom', message: 'a scale question has scaleMin below scaleMax', path: ['scaleMax'] });
  if (!scale && (q.scaleMin != null || q.scaleMax != null)) ctx.addIssue({ code: 'custom', message: `a ${q.kind} question has no scale`, path: ['scaleMin'] });
  if (q.isUpskillingDirection && !['single', 'multiple', 'competency'].includes(q.kind)) ctx.addIssue({ code: 'custom', message: 'directions are asked by options or competencies', path: ['isUpskillingDirection'] });
});

export const surveyInput = z.object({
  title: text(500),
  description: text(4000).nullish(),
  municipalityId: id.nullish(),
  organizationId: id.nullish(),
  associationId: id.nullish(),
  earlyCareerOnly: z.boolean().nullish().transform((b) => b ?? false),
  staffCategory: z.enum(['pedagogical', 'managerial']).nullish(),
  isAnonymous: z.boolean(),
  opensOn: date,
  closesOn: date,
  questions: z.array(question).min(1, 'a survey has at least one question').max(100),
}).refine((s) => s.closesOn >= s.opensOn, { message: 'must not be before opensOn', path: ['closesOn'] })
  .refine((s) => !s.organizationId || Boolean(s.municipalityId), { message: 'an organization\'s survey names its municipality', path: ['municipalityId'] });

export const answersInput = z.array(z.object({
  questionId: id,
  choices: z.array(z.string().max(500)).max(50).nullish(),
  scaleValue: z.number().int().nullish(),
  text: z.string().max(4000).nullish(),
  competencyIds: z.array(id).max(20).nullish(),
})).max(100);

export type SurveyInput = z.infer<typeof surveyInput>;
