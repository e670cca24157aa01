import type { Knex } from 'knex';
import { z } from 'zod';
import { addDays, addYears, badInput, conflict, forbidden, notFound, type Scope } from '@mms/platform';
import * as attestations from './store/attestations';
import { date, id, pastDate, text } from './validate';
import type { AttestationRow, CategoryAwardRow } from './store/attestations';
import * as educators from './store/educators';
import type { EducatorRow } from './store/educators';

/**
 * Qualification categories and attestation (seeds 000 and 003; Порядок аттестации педагогических работников,
 * приказ Минпросвещения России от 24.03.2023 № 196). The pure rules come first, so that they can be tested without a
 * server; then the input rules; then the writes, one function per mutation, each run inside the transaction it is given.
 */

// ---- the rules, as plain functions -----------------------------------------------------------------------------

export type Category = 'conformity' | 'first' | 'highest' | 'methodologist' | 'mentor';
export const categories = ['conformity', 'first', 'highest', 'methodologist', 'mentor'] as const;

/**
 * The last day an award is valid: the day before its fifth anniversary (an award of 2024-09-10 is valid through
 * 2029-09-09). 29 February has no anniversary in a common year; the fifth one comes on 1 March, so an award of
 * 2024-02-29 is valid through 2029-02-28: never less than five whole years.
 */
export function awardValidUntil(awardedOn: string): string {
  const anniversary = addYears(awardedOn, 5);
  // addYears moves 29 February to 28 February: that day is already the one before 1 March.
  return anniversary.slice(5) === awardedOn.slice(5) ? addDays(anniversary, -1) : anniversary;
}

/**
 * How categories rank when an educator holds several on a day: conformity (not a category, an attestation outcome)
 * < first < highest < mentor < methodologist. The two categories of 2023 are both open only to holders of the
 * highest and stand above it; the law puts neither above the other, so the tie is broken by the order in which
 * Order No. 196 names them: «педагог-методист», then «педагог-наставник».
 */
export const categoryRank: Record<Category, number> = { conformity: 1, first: 2, highest: 3, mentor: 4, methodologist: 5 };

/** Whether an award is valid on a day: from the day it was awarded to its last valid day, both included. */
export function isAwardInForce(award: Pick<CategoryAwardRow, 'awardedOn' | 'validUntil'>, day: string): boolean {
  return award.awardedOn <= day && day <= award.validUntil;
}

/** Positions are matched as the registry matches them: case-insensitive, surrounding spaces ignored. */
export function samePosition(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The category in force on a day: the highest-ranking award valid that day (for `position`, when given), the later
 * award among equals; null when none is in force.
 */
export function categoryOn<A extends Pick<CategoryAwardRow, 'category' | 'position' | 'awardedOn' | 'validUntil'>>(
  awards: readonly A[], day: string, position?: string | null,
): A | null {
  let best: A | null = null;
  for (const award of awards) {
    if (!isAwardInForce(award, day) || (position && !samePosition(award.position, position))) continue;
    const rank = categoryRank[award.category as Category];
    const bestRank = best ? categoryRank[best.category as Category] : 0;
    if (!best || rank > bestRank || (rank === bestRank && award.awardedOn > best.awardedOn)) best = award;
  }
  return best;
}

/** Педагог-методист and педагог-наставник are open only to holders of the highest category (Order No. 196). */
export function requiresHighest(category: string): boolean {
  return category === 'methodologist' || category === 'mentor';
}

/** Whether one of the awards is the highest category, valid on the day (for any position). */
export function holdsHighestOn(awards: readonly Pick<CategoryAwardRow, 'category' | 'awardedOn' | 'validUntil'>[], day: string): boolean {
  return awards.some((award) => award.category === 'highest' && isAwardInForce(award, day));
}

export type Stage = 'filed' | 'under_review' | 'decided';

/** The only moves a request makes: filed → under review → decided. */
export const nextStage: Record<Stage, Stage | null> = { filed: 'under_review', under_review: 'decided', decided: null };

/** Why a request cannot move to `target`, or null when it can. */
export function stageConflict(attestation: Pick<AttestationRow, 'stage' | 'reviewStartedOn' | 'outcome' | 'decidedOn'>, target: Stage): string | null {
  if (nextStage[attestation.stage as Stage] === target) return null;
  if (attestation.stage === 'decided') return `this attestation is closed: it was decided (${attestation.outcome}) on ${attestation.decidedOn}`;
  if (attestation.stage === 'under_review') return `this attestation is already under review since ${attestation.reviewStartedOn}`;
  return 'this attestation was only filed: start its review (startAttestationReview) before deciding it';
}

// ---- input rules --------------------------------------------------------------------------------------------------

const category = z.enum(categories);

/**
 * An award from earlier records. The order is dated the day of the decision or later (the commission decides, the
 * education authority then issues its order), never before: the category runs from the day of the decision.
 */
export const categoryAwardInput = z.object({
  educatorId: id,
  category,
  position: text(200),
  awardedOn: pastDate,
  orderNumber: text(100),
  orderDate: pastDate,
}).refine((a) => a.orderDate >= a.awardedOn, { message: 'must not be before awardedOn: an order records a decision already taken', path: ['orderDate'] });

export const fileAttestationInput = z.object({
  educatorId: id,
  requestedCategory: category,
  position: text(200),
  filedOn: pastDate,
});

export const startReviewArgs = z.object({ id, startedOn: pastDate });

/**
 * A decision. A grant names the order that establishes the category (number and date, not before the decision);
 * a refusal creates no award and has nowhere to keep an order, so giving one is refused rather than silently dropped.
 */
export const decideAttestationInput = z.object({
  id,
  outcome: z.enum(['granted', 'refused']),
  decidedOn: pastDate,
  orderNumber: text(100).nullish(),
  orderDate: pastDate.nullish(),
}).superRefine((d, ctx) => {
  if (d.outcome === 'granted') {
    if (d.orderNumber == null) ctx.addIssue({ code: 'custom', message: 'is required for a grant', path: ['orderNumber'] });
    if (d.orderDate == null) ctx.addIssue({ code: 'custom', message: 'is required for a grant', path: ['orderDate'] });
    else if (d.orderDate < d.decidedOn) ctx.addIssue({ code: 'custom', message: 'must not be before decidedOn: an order records a decision already taken', path: ['orderDate'] });
  } else {
    if (d.orderNumber != null) ctx.addIssue({ code: 'custom', message: 'is given only for a grant: a refusal creates no award', path: ['orderNumber'] });
    if (d.orderDate != null) ctx.addIssue({ code: 'custom', message: 'is given only for a grant: a refusal creates no award', path: ['orderDate'] });
  }
});

export const attestationsDueArgs = z.object({
  scope: z.object({ municipalityId: id.nullish(), organizationId: id.nullish() }).nullish().transform((scope) => scope ?? {}),
  before: date,
});

export type CategoryAwardInput = z.infer<typeof categoryAwardInput>;
export type FileAttestationInput = z.infer<typeof fileAttestationInput>;
export type DecideAttestationInput = z.infer<typeof decideAttestationInput>;

// ---- the writes ---------------------------------------------------------------------------------------------------

/** Records an award from earlier (paper) records. History is kept: an award is added, never replaced. */
export async function recordCategoryAward(trx: Knex, scope: Scope, input: CategoryAwardInput): Promise<CategoryAwardRow> {
  const educator = await lockWritableEducator(trx, scope, input.educatorId);
  const awards = await attestations.categoryAwardsByEducators(trx, [educator.id]);
  assertAwardAllowed(educator, awards, input.category, input.awardedOn, 'input.awardedOn');
  const same = awards.find((a) => a.category === input.category && a.awardedOn === input.awardedOn && samePosition(a.position, input.position));
  if (same) throw conflict(`this award is already recorded (order ${same.orderNumber} of ${same.orderDate})`);
  return attestations.insertCategoryAward(trx, { ...input, validUntil: awardValidUntil(input.awardedOn) });
}

/** Files a request. At most one open request per educator: the check here, the partial unique index behind it. */
export async function fileAttestation(trx: Knex, scope: Scope, input: FileAttestationInput): Promise<AttestationRow> {
  const educator = await lockWritableEducator(trx, scope, input.educatorId);
  assertAfterWorkBegan(educator, input.filedOn, 'input.filedOn');
  const open = await attestations.findOpenAttestation(trx, educator.id);
  if (open) throw conflict(`the educator already has an open attestation request, filed on ${open.filedOn}: decide it before filing another`, 'input.educatorId');
  if (requiresHighest(input.requestedCategory)) {
    const awards = await attestations.categoryAwardsByEducators(trx, [educator.id]);
    if (!holdsHighestOn(awards, input.filedOn)) throw conflict(highestMissing(input.requestedCategory, input.filedOn), 'input.requestedCategory');
  }
  return attestations.insertAttestation(trx, input);
}

export async function startAttestationReview(trx: Knex, scope: Scope, id: string, startedOn: string): Promise<AttestationRow> {
  const attestation = await lockWritableAttestation(trx, scope, id);
  const refusal = stageConflict(attestation, 'under_review');
  if (refusal) throw conflict(refusal);
  if (startedOn < attestation.filedOn) throw badInput(`startedOn must not be before the request was filed (${attestation.filedOn})`, 'args.startedOn');
  return attestations.setAttestationUnderReview(trx, id, startedOn);
}

/**
 * Decides a request under review. The attestation row is locked first, so of two concurrent decisions the second
 * waits and then finds the request closed. A grant creates the award (the requested category, for the request's
 * position, from the day of the decision) in the same transaction; a refusal creates none.
 */
export async function decideAttestation(trx: Knex, scope: Scope, input: DecideAttestationInput): Promise<AttestationRow> {
  const attestation = await lockWritableAttestation(trx, scope, input.id);
  const refusal = stageConflict(attestation, 'decided');
  if (refusal) throw conflict(refusal);
  if (input.decidedOn < attestation.reviewStartedOn!) {
    throw badInput(`decidedOn must not be before the review started (${attestation.reviewStartedOn})`, 'input.decidedOn');
  }
  if (input.outcome === 'granted') {
    // Locked after the attestation, before any write: the same order as fileAttestation's, without a deadlock.
    const educator = (await educators.findEducator(trx, { id: attestation.educatorId }, { forUpdate: true }))!;
    const awards = await attestations.categoryAwardsByEducators(trx, [educator.id]);
    assertAwardAllowed(educator, awards, attestation.requestedCategory, input.decidedOn, 'input.decidedOn');
    const decided = await attestations.setAttestationDecided(trx, attestation.id, input.outcome, input.decidedOn);
    await attestations.insertCategoryAward(trx, {
      educatorId: attestation.educatorId, category: attestation.requestedCategory, position: attestation.position,
      awardedOn: input.decidedOn, validUntil: awardValidUntil(input.decidedOn),
      orderNumber: input.orderNumber!, orderDate: input.orderDate!, attestationId: attestation.id,
    });
    return decided;
  }
  return attestations.setAttestationDecided(trx, attestation.id, input.outcome, input.decidedOn);
}

/** The rules every award obeys, recorded or granted: not before work began; the 2023 categories need the highest. */
function assertAwardAllowed(educator: EducatorRow, awards: readonly CategoryAwardRow[], category: string, awardedOn: string, field: string) {
  assertAfterWorkBegan(educator, awardedOn, field);
  if (requiresHighest(category) && !holdsHighestOn(awards, awardedOn)) throw conflict(highestMissing(category, awardedOn));
}

/** Nothing is attested before pedagogical work began (when the registry knows that day). */
function assertAfterWorkBegan(educator: EducatorRow, day: string, field: string) {
  if (educator.pedagogicalWorkStartedOn && day < educator.pedagogicalWorkStartedOn) {
    throw badInput(`${field.split('.').pop()} must not be before the educator's pedagogical work began (${educator.pedagogicalWorkStartedOn})`, field);
  }
}

const highestMissing = (category: string, day: string) =>
  `the category ${category} is open only to holders of the highest category, and the educator held none in force on ${day}`;

/** The educator, locked for the rest of the transaction (serialising writes about them); NOT_FOUND, then FORBIDDEN. */
async function lockWritableEducator(trx: Knex, scope: Scope, educatorId: string): Promise<EducatorRow> {
  const educator = await educators.findEducator(trx, { id: educatorId }, { forUpdate: true });
  if (!educator) throw notFound('Educator', educatorId);
  if (!(await educators.isEducatorInScope(trx, scope, educatorId))) throw forbidden('this educator is outside your scope');
  return educator;
}

async function lockWritableAttestation(trx: Knex, scope: Scope, id: string): Promise<AttestationRow> {
  const attestation = await attestations.findAttestation(trx, id, { forUpdate: true });
  if (!attestation) throw notFound('Attestation', id);
  if (!(await educators.isEducatorInScope(trx, scope, attestation.educatorId))) throw forbidden('this attestation is of an educator outside your scope');
  return attestation;
}
