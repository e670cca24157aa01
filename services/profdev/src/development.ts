import type { Knex } from 'knex';
import {
  badInput, conflict, forbidden, notFound, organizationInScope, requireEducators, requireMunicipalities, requireOrganizations, today, type Scope,
} from '@mms/platform';
import { deficitsOf, itemChangeProblem, scoresProblem, transitionProblem, type RouteAction } from './rules';
import * as completions from './store/completions';
import * as diagnostics from './store/diagnostics';
import * as programs from './store/programs';
import * as routes from './store/routes';
import { whereEducatorInScope } from './store/scope';
import type { CompletionInput, DiagnosticInput, RouteInput, RouteItemInput } from './validate';
import type { z } from 'zod';
import type { assignTemplateInput, competencyInput, draftFromDiagnosticInput, programInput, templateInput } from './validate';

/**
 * The writes of programs, completions, diagnostics and development routes: one mutation each, run inside the
 * transaction they are given, the rules they apply being the plain functions of ./rules.
 */

/** "Today" on the country's easternmost clock, so that today is never "the future" anywhere in Russia. */
const latestToday = () => today('Asia/Kamchatka');

export async function createCompetency(trx: Knex, scope: Scope, input: z.infer<typeof competencyInput>) {
  if (scope.kind !== 'region') throw forbidden('the competency framework is the region\'s: region_admin only');
  return programs.insertCompetency(trx, input);
}

export async function createProgram(trx: Knex, input: z.infer<typeof programInput>) {
  await requireCompetencies(trx, input.competencyIds ?? [], 'input.competencyIds');
  return programs.insertProgram(trx, input);
}

async function requireCompetencies(db: Knex, ids: readonly string[], field: string) {
  const found = new Map((await programs.competenciesByIds(db, [...new Set(ids)])).map((c) => [c.id, c]));
  for (const id of ids) if (!found.has(id)) throw badInput(`competency ${id} is not in the framework`, field);
  return found;
}

async function requireProgram(db: Knex, id: string) {
  const [program] = await programs.programsByIds(db, [id]);
  if (!program) throw notFound('program', id);
  return program;
}

export async function recordCompletion(trx: Knex, scope: Scope, input: CompletionInput) {
  await requireEducators(trx, [input.educatorId], scope);
  const program = await requireProgram(trx, input.programId);
  if (input.completedOn > latestToday()) throw badInput('completedOn must not be in the future', 'input.completedOn');
  if (input.diagnosticId) {
    const [diagnostic] = await diagnostics.diagnosticsByIds(trx, { kind: 'region' }, [input.diagnosticId]);
    if (!diagnostic) throw notFound('diagnostic', input.diagnosticId);
    if (diagnostic.educatorId !== input.educatorId) throw badInput('the diagnostic is of another educator', 'input.diagnosticId');
    if (diagnostic.takenOn > input.completedOn) throw badInput('a program chosen on the basis of a diagnostic ends after it was taken', 'input.diagnosticId');
    const deficits = await diagnostics.deficitsByDiagnostics(trx, [diagnostic.id]);
    const developed = new Set((await programs.competenciesByPrograms(trx, [program.id])).map((c) => c.id));
    if (!deficits.some((d) => developed.has(d.competencyId))) {
      throw badInput('the program develops none of the competencies this diagnostic found deficient', 'input.diagnosticId');
    }
  }
  return completions.insertCompletion(trx, input);
}

export async function recordDiagnostic(trx: Knex, scope: Scope, input: DiagnosticInput) {
  await requireEducators(trx, [input.educatorId], scope);
  if (input.takenOn > latestToday()) throw badInput('takenOn must not be in the future', 'input.takenOn');
  const framework = new Map((await programs.competenciesByIds(trx, [...new Set(input.scores.map((s) => s.competencyId))])).map((c) => [c.id, c]));
  const problem = scoresProblem(input.scores, framework);
  if (problem) throw problem;
  return diagnostics.insertDiagnostic(trx, {
    ...input,
    scores: input.scores.map((s) => {
      const c = framework.get(s.competencyId)!;
      return { competencyId: s.competencyId, score: s.score, threshold: c.threshold, scaleMin: c.scaleMin, scaleMax: c.scaleMax };
    }),
  });
}

// ---- routes ----

/**
 * Checks route items: programs exist, and an item addressing a competency needs the educator to have that deficit
 * now (in their latest diagnostic).
 */
async function checkItems(trx: Knex, educatorId: string, items: readonly RouteItemInput[], field: string) {
  const wanted = items.map((item) => item.competencyId).filter((c): c is string => Boolean(c));
  if (wanted.length) {
    const current = new Set((await diagnostics.currentDeficitsByEducators(trx, null, [educatorId])).map((d) => d.competencyId));
    items.forEach((item, i) => {
      if (item.competencyId && !current.has(item.competencyId)) {
        throw badInput(`the educator has no deficit in competency ${item.competencyId} (by their latest diagnostic)`, `${field}.${i}.competencyId`);
      }
    });
  }
  const programIds = [...new Set(items.map((item) => item.programId).filter((p): p is string => Boolean(p)))];
  if (programIds.length) {
    const found = new Set((await programs.programsByIds(trx, programIds)).map((p) => p.id));
    for (const id of programIds) if (!found.has(id)) throw notFound('program', id);
  }
}

export async function createRoute(trx: Knex, scope: Scope, input: RouteInput) {
  await requireEducators(trx, [input.educatorId], scope);
  const items = input.items ?? [];
  await checkItems(trx, input.educatorId, items, 'input.items');
  const route = await routes.insertRoute(trx, input);
  await routes.insertItems(trx, route.id, items);
  return route;
}

export async function draftRouteFromDiagnostic(trx: Knex, scope: Scope, input: z.infer<typeof draftFromDiagnosticInput>) {
  const [diagnostic] = await diagnostics.diagnosticsByIds(trx, scope, [input.diagnosticId]);
  if (!diagnostic) {
    if ((await diagnostics.diagnosticsByIds(trx, { kind: 'region' }, [input.diagnosticId])).length) throw forbidden('this diagnostic is outside your scope');
    throw notFound('diagnostic', input.diagnosticId);
  }
  await requireEducators(trx, [diagnostic.educatorId], scope);
  const [latest] = await diagnostics.diagnosticsByEducators(trx, { kind: 'region' }, [diagnostic.educatorId]);
  if (latest.id !== diagnostic.id) throw conflict(`a newer diagnostic (${latest.takenOn}) shows the educator's current deficits: draft from it`, 'input.diagnosticId');
  const deficits = deficitsOf(await diagnostics.deficitsByDiagnostics(trx, [diagnostic.id]));
  if (!deficits.length) throw conflict('the diagnostic shows no deficit: there is nothing to route', 'input.diagnosticId');
  const framework = new Map((await programs.competenciesByIds(trx, deficits.map((d) => d.competencyId))).map((c) => [c.id, c]));
  const suggestions = await programs.registryProgramsFor(trx, deficits.map((d) => d.competencyId));
  const route = await routes.insertRoute(trx, {
    educatorId: diagnostic.educatorId, title: input.title ?? `ИОМ по итогам диагностики ${diagnostic.takenOn}`,
    periodFrom: input.periodFrom, periodTo: input.periodTo, diagnosticId: diagnostic.id,
  });
  await routes.insertItems(trx, route.id, deficits.map((deficit) => {
    const competency = framework.get(deficit.competencyId)!;
    const program = suggestions.find((p) => p.competencyId === deficit.competencyId);
    return program
      ? { activityKind: 'program', title: program.title, competencyId: competency.id, programId: program.id, plannedFrom: input.periodFrom, plannedTo: input.periodTo }
      : { activityKind: 'self_study', title: `Самообразование: ${competency.title}`, competencyId: competency.id, plannedFrom: input.periodFrom, plannedTo: input.periodTo };
  }));
  return route;
}

/** The route, locked, if the scope covers its educator: NOT_FOUND or FORBIDDEN otherwise. */
async function routeForWrite(trx: Knex, scope: Scope, id: string) {
  const route = await routes.findRoute(trx, id, { forUpdate: true });
  if (!route) throw notFound('development route', id);
  const covered = await whereEducatorInScope(trx('development_route as r').select('r.id').where('r.id', id), scope, 'r.educator_id');
  if (!covered.length) throw forbidden('this development route is outside your scope');
  return route;
}

export async function addRouteItem(trx: Knex, scope: Scope, routeId: string, item: RouteItemInput) {
  const route = await routeForWrite(trx, scope, routeId);
  const problem = itemChangeProblem(route.status, 'add');
  if (problem) throw problem;
  await checkItems(trx, route.educatorId, [item], 'input.item');
  const [created] = await routes.insertItems(trx, route.id, [item]);
  return created;
}

export async function changeRouteItem(trx: Knex, scope: Scope, id: string, change: { done: string } | { drop: string }) {
  const item = await routes.findItem(trx, id);
  if (!item) throw notFound('route item', id);
  const route = await routeForWrite(trx, scope, item.routeId);
  const problem = itemChangeProblem(route.status, 'done' in change ? 'done' : 'drop', item);
  if (problem) throw problem;
  if ('done' in change) {
    if (change.done > latestToday()) throw badInput('doneOn must not be in the future', 'doneOn');
    if (route.activatedOn && change.done < route.activatedOn) throw badInput(`doneOn must not be before the route was activated (${route.activatedOn})`, 'doneOn');
    return routes.updateItem(trx, id, { done_on: change.done });
  }
  return routes.updateItem(trx, id, { is_dropped: true, drop_reason: change.drop });
}

export async function moveRoute(trx: Knex, scope: Scope, id: string, action: RouteAction, on: string, reason?: string) {
  const route = await routeForWrite(trx, scope, id);
  const items = await routes.itemsByRoutes(trx, [id]);
  const problem = transitionProblem(route, items, action, on);
  if (problem) throw problem;
  if (route.activatedOn && on < route.activatedOn) throw badInput(`must not be before the route was activated (${route.activatedOn})`, 'on');
  const changes = action === 'activate' ? { status: 'active', activated_on: on }
    : action === 'complete' ? { status: 'completed', completed_on: on }
      : { status: 'abandoned', abandoned_on: on, abandon_reason: reason };
  try {
    return await routes.updateRoute(trx, id, changes);
  } catch (error) {
    throw translateExclusion(error, 'development_route_one_active', 'the educator already has an active development route over these days: one active route per educator per period');
  }
}

/** The trigger-backed "no overlap" rules raise exclusion_violation (23P01) with a constraint name: a CONFLICT. */
export function translateExclusion(error: unknown, constraint: string, message: string): unknown {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23P01' && e.constraint === constraint ? conflict(message) : error;
}

// ---- templates ----

/** Region-wide (municipality null) for region_admin; a municipality's for its methodists. */
function requireMunicipalityOwner(scope: Scope, municipalityId: string | null | undefined) {
  if (scope.kind === 'region') return;
  if (scope.kind === 'municipality' && municipalityId === scope.municipalityId) return;
  throw forbidden(municipalityId ? 'this municipality is outside your scope' : 'only region_admin keeps regional templates');
}

export async function createRouteTemplate(trx: Knex, scope: Scope, input: z.infer<typeof templateInput>) {
  requireMunicipalityOwner(scope, input.municipalityId);
  if (input.municipalityId) await requireMunicipalities(trx, [input.municipalityId]);
  const programIds = [...new Set(input.items.map((i) => i.programId).filter((p): p is string => Boolean(p)))];
  const found = new Set((await programs.programsByIds(trx, programIds)).map((p) => p.id));
  for (const id of programIds) if (!found.has(id)) throw notFound('program', id);
  return routes.insertTemplate(trx, input);
}

export async function assignRouteTemplate(trx: Knex, scope: Scope, input: z.infer<typeof assignTemplateInput>) {
  const [template] = await routes.templatesByIds(trx, [input.templateId]);
  if (!template) throw notFound('route template', input.templateId);
  if (input.organizationId) {
    const organization = (await requireOrganizations(trx, [input.organizationId])).get(input.organizationId)!;
    if (!organizationInScope(scope, organization)) throw forbidden('this organization is outside your scope');
    if (input.municipalityId && organization.municipalityId !== input.municipalityId) throw badInput('the organization is not in that municipality', 'input.organizationId');
    if (template.municipalityId && template.municipalityId !== organization.municipalityId) throw forbidden('the template is another municipality\'s');
  } else {
    await requireMunicipalities(trx, [input.municipalityId!]);
    requireMunicipalityOwner(scope, input.municipalityId);
    if (template.municipalityId && template.municipalityId !== input.municipalityId) throw forbidden('the template is another municipality\'s');
  }
  // one advisory lock per template and cohort: two identical assignments at once do not both create routes
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`profdev.assign:${input.organizationId ?? input.municipalityId}`]);
  try {
    return await routes.assignTemplate(trx, { ...input, title: template.title });
  } catch (error) {
    throw translateExclusion(error, 'development_route_one_active', 'a member of the cohort already has an active route over these days');
  }
}
