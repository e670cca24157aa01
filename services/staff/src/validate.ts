import { z } from 'zod';
import { addYears, isSaneDate, today } from '@mms/platform';

/**
 * Input rules of the staff registry, shared by the mutations and (later) the bulk import.
 * Checksums are plain functions so that they can be tested without a server.
 */

/** Strips separators: SNILS is written 123-456-789 64 on the card and stored as 11 digits. */
export function normalizeSnils(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/**
 * SNILS control number (Постановление Правления ПФР от 11.10.1996 № 235/Положение о СНИЛС): the first nine digits
 * weighted 9..1 and summed; below 100 the sum itself, 100 or 101 give 00, above that the sum mod 101 (100 → 00).
 * Numbers up to 001-001-998 were issued before the rule and are not checked.
 */
export function isValidSnils(value: string): boolean {
  const digits = normalizeSnils(value);
  if (!/^\d{11}$/.test(digits)) return false;
  const number = digits.slice(0, 9);
  if (Number(number) <= 1001998) return true;
  const sum = [...number].reduce((acc, digit, i) => acc + Number(digit) * (9 - i), 0);
  const control = sum < 100 ? sum : sum <= 101 ? 0 : (sum % 101) % 100;
  return control === Number(digits.slice(9));
}

export function formatSnils(digits: string): string {
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)} ${digits.slice(9)}`;
}

/** INN of a legal entity (10 digits): the last digit is the weighted sum of the others mod 11 mod 10. */
export function isValidOrganizationInn(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const sum = weights.reduce((acc, weight, i) => acc + weight * Number(value[i]), 0);
  return (sum % 11) % 10 === Number(value[9]);
}

/** The canonical spelling of a time zone (europe/moscow → Europe/Moscow). */
export function canonicalTimeZone(value: string): string {
  return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
}

export function isIanaTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.includes('/') || value === 'UTC';
  } catch {
    return false;
  }
}

/** The field rules every staff input is built from (registry, attestation, statuses). */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => text(max).nullish();
export const id = z.guid('is not an id');
export const date = z.string().refine(isSaneDate, 'is not a date between 1900-01-01 and 2100-12-31');
// "Today" on the country's easternmost clock (Kamchatka, UTC+12), so that today is never "the future" anywhere in Russia.
export const pastDate = date.refine((value) => value <= today('Asia/Kamchatka'), 'must not be in the future');
const snils = z.string().transform(normalizeSnils)
  .refine((value) => /^\d{11}$/.test(value), 'must have 11 digits')
  .refine(isValidSnils, 'has a wrong control number');
const inn = z.string().trim().refine((value) => /^\d{10}$/.test(value), 'must have 10 digits')
  .refine(isValidOrganizationInn, 'has a wrong control digit');
const email = z.string().trim().toLowerCase().email('is not an e-mail address').max(200);
const phone = z.string().trim().transform((value) => value.replace(/[\s()-]/g, ''))
  .refine((value) => /^\+?\d{6,15}$/.test(value), 'is not a phone number');
const organizationKind = z.enum(['school', 'kindergarten', 'additional_education', 'methodological_centre', 'other']);
const educationLevel = z.enum(['secondary_general', 'secondary_vocational', 'higher_bachelor', 'higher_specialist_or_master', 'higher_qualification']);

export const municipalityInput = z.object({
  name: text(300),
  oktmo: z.string().trim().regex(/^\d{8}(\d{3})?$/, 'must have 8 or 11 digits'),
  timeZone: z.string().refine(isIanaTimeZone, 'is not an IANA time zone').nullish()
    .transform((v) => (v ? canonicalTimeZone(v) : 'Europe/Moscow')),
});

export const organizationInput = z.object({
  municipalityId: id,
  name: text(500),
  shortName: optionalText(200),
  kind: organizationKind,
  inn: inn.nullish(),
  code: optionalText(50),
  address: optionalText(500),
});
export const organizationPatch = organizationInput.omit({ municipalityId: true }).partial()
  .extend({ name: text(500).optional(), kind: organizationKind.optional() });

const educatorFields = z.object({
  lastName: text(100),
  firstName: text(100),
  patronymic: optionalText(100),
  birthDate: pastDate.refine((value) => value >= '1900-01-01', 'is too far in the past'),
  snils,
  email: email.nullish(),
  phone: phone.nullish(),
  pedagogicalWorkStartedOn: pastDate.nullish(),
  educationLevel: educationLevel.nullish(),
});

export const employmentFields = z.object({
  organizationId: id,
  position: text(200),
  staffCategory: z.enum(['pedagogical', 'managerial']),
  // numeric(4,2) in the registry: finer fractions would be rounded silently (and 0.001 to a forbidden 0)
  rate: z.number().gt(0, 'must be above 0').lte(2, 'must be at most 2')
    .refine((rate) => Math.abs(rate * 100 - Math.round(rate * 100)) < 1e-9, 'must have at most 2 decimal places'),
  isMainJob: z.boolean(),
  startedOn: date,
  endedOn: date.nullish(),
}).refine((e) => !e.endedOn || e.endedOn >= e.startedOn, { message: 'must not be before startedOn', path: ['endedOn'] });

/** Work cannot begin before the educator is 14 (the Labour Code's lowest working age). */
const workAfterBirth = (e: { birthDate?: string | null; pedagogicalWorkStartedOn?: string | null }) =>
  !e.birthDate || !e.pedagogicalWorkStartedOn || e.pedagogicalWorkStartedOn >= addYears(e.birthDate, 14);
const workAfterBirthRule = { message: 'must be at least 14 years after birthDate', path: ['pedagogicalWorkStartedOn'] };

export const educatorInput = educatorFields.extend({ employment: employmentFields.nullish() }).refine(workAfterBirth, workAfterBirthRule);
export const educatorPatch = educatorFields.partial().extend({
  lastName: text(100).optional(), firstName: text(100).optional(), birthDate: educatorFields.shape.birthDate.optional(), snils: snils.optional(),
});
/** The rule across fields, checked on the educator as it will be after a patch. */
export const educatorAfterPatch = z.object({ birthDate: z.string(), pedagogicalWorkStartedOn: z.string().nullable() }).refine(workAfterBirth, workAfterBirthRule);

export const startEmploymentInput = employmentFields.and(z.object({
  educatorId: id.nullish(),
  educatorSnils: snils.nullish(),
})).refine((e) => Boolean(e.educatorId) !== Boolean(e.educatorSnils), { message: 'give exactly one of educatorId and educatorSnils', path: ['educatorId'] });

export const educatorFilter = z.object({
  organizationId: id.nullish(),
  municipalityId: id.nullish(),
  position: z.string().trim().max(200).nullish(),
  nameContains: z.string().max(200, 'must be at most 200 characters').nullish(),
  employedOn: date.nullish(),
  employedDuring: z.string().nullish(),
  earlyCareer: z.boolean().nullish(),
  under35: z.boolean().nullish(),
  // ---- statistics (issue 22): the filters analysts and methodists expect ----
  category: z.enum(['conformity', 'first', 'highest', 'mentor', 'methodologist']).nullish(),
  staffCategory: z.enum(['pedagogical', 'managerial']).nullish(),
  organizationKind: organizationKind.nullish(),
}).refine((f) => !(f.employedOn && f.employedDuring), { message: 'give either employedOn or employedDuring, not both', path: ['employedDuring'] })
  .nullish().transform((filter) => filter ?? {});

export const organizationFilter = z.object({
  municipalityId: id.nullish(),
  kind: organizationKind.nullish(),
  nameContains: z.string().max(200, 'must be at most 200 characters').nullish(),
}).nullish().transform((filter) => filter ?? {});

export const endEmploymentInput = z.object({ id, endedOn: date });


export type MunicipalityInput = z.infer<typeof municipalityInput>;
export type OrganizationInput = z.infer<typeof organizationInput>;
export type OrganizationPatch = z.infer<typeof organizationPatch>;
export type EducatorInput = z.infer<typeof educatorInput>;
export type EducatorPatch = z.infer<typeof educatorPatch>;
export type EmploymentFields = z.infer<typeof employmentFields>;
export type StartEmploymentInput = z.infer<typeof startEmploymentInput>;

/** A valid SNILS for a number 1002000..999999999 (demo data, tests, benchmarks): the control digits of `isValidSnils`. */
export function snilsFor(number: number): string {
  const base = String(number).padStart(9, '0');
  const sum = [...base].reduce((acc, digit, i) => acc + Number(digit) * (9 - i), 0);
  const control = sum < 100 ? sum : sum <= 101 ? 0 : (sum % 101) % 100;
  return `${base}${String(control).padStart(2, '0')}`;
}

/** A valid legal-entity INN from a 9-digit number (demo data, tests, benchmarks). */
export function innFor(number: number): string {
  const base = String(number).padStart(9, '0');
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const sum = weights.reduce((acc, weight, i) => acc + weight * Number(base[i]), 0);
  return `${base}${(sum % 11) % 10}`;
}
