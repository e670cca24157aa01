import type { Knex } from 'knex';
import { likePattern, translateUniqueViolation } from '@mms/platform';

/** The competency framework and the programs (ДПП): tables competency, program, program_competency. */

export interface CompetencyRow {
  id: string;
  code: string;
  title: string;
  group: string;
  scaleMin: number;
  scaleMax: number;
  threshold: number;
}

export interface ProgramRow {
  id: string;
  kind: string;
  title: string;
  hours: number;
  format: string;
  isFederalRegistry: boolean;
  registryNumber: string | null;
  providerName: string;
  providerInn: string | null;
}

const competencyColumns = ['c.id', 'c.code', 'c.title', 'c.competency_group as group', 'c.scale_min as scaleMin', 'c.scale_max as scaleMax', 'c.threshold'];
const programColumns = ['p.id', 'p.kind', 'p.title', 'p.hours', 'p.format', 'p.is_federal_registry as isFederalRegistry',
  'p.registry_number as registryNumber', 'p.provider_name as providerName', 'p.provider_inn as providerInn'];

export async function listCompetencies(db: Knex): Promise<CompetencyRow[]> {
  return db('competency as c').select(competencyColumns).orderBy([{ column: 'c.competency_group' }, { column: 'c.code' }]);
}

export async function competenciesByIds(db: Knex, ids: readonly string[]): Promise<CompetencyRow[]> {
  return db('competency as c').select(competencyColumns).whereIn('c.id', ids);
}

export async function insertCompetency(db: Knex, input: Omit<CompetencyRow, 'id'>): Promise<CompetencyRow> {
  const [{ id }] = await translateUniqueViolation(() => db('competency').insert({
    code: input.code, title: input.title, competency_group: input.group, scale_min: input.scaleMin, scale_max: input.scaleMax, threshold: input.threshold,
  }).returning('id'), { competency_code_key: ['a competency with this code already exists', 'input.code'] });
  return (await competenciesByIds(db, [id]))[0];
}

export interface ProgramFilter {
  kind?: string | null;
  federalRegistryOnly?: boolean | null;
  competencyId?: string | null;
  titleContains?: string | null;
}

export async function listPrograms(db: Knex, filter: ProgramFilter): Promise<ProgramRow[]> {
  const query = db('program as p').select(programColumns).orderBy([{ column: 'p.title' }, { column: 'p.id' }]);
  if (filter.kind) query.where('p.kind', filter.kind);
  if (filter.federalRegistryOnly) query.where('p.is_federal_registry', true);
  if (filter.competencyId) query.whereIn('p.id', (sub) => sub.select('program_id').from('program_competency').where('competency_id', filter.competencyId!));
  if (filter.titleContains) query.whereILike('p.title', likePattern(filter.titleContains.trim()));
  return query;
}

export async function programsByIds(db: Knex, ids: readonly string[]): Promise<ProgramRow[]> {
  return db('program as p').select(programColumns).whereIn('p.id', ids);
}

/** The competencies each program develops, by program. */
export async function competenciesByPrograms(db: Knex, programIds: readonly string[]): Promise<(CompetencyRow & { programId: string })[]> {
  return db('program_competency as pc').join('competency as c', 'c.id', 'pc.competency_id')
    .select(['pc.program_id as programId', ...competencyColumns]).whereIn('pc.program_id', programIds).orderBy('c.code');
}

/** Federal-registry programs developing each competency, by title: what a drafted route suggests for a deficit. */
export async function registryProgramsFor(db: Knex, competencyIds: readonly string[]): Promise<(ProgramRow & { competencyId: string })[]> {
  return db('program_competency as pc').join('program as p', 'p.id', 'pc.program_id')
    .select(['pc.competency_id as competencyId', ...programColumns]).whereIn('pc.competency_id', competencyIds)
    .where('p.is_federal_registry', true).orderBy([{ column: 'p.title' }, { column: 'p.id' }]);
}

export interface ProgramFields {
  kind: string;
  title: string;
  hours: number;
  format: string;
  registryNumber?: string | null;
  providerName: string;
  providerInn?: string | null;
  competencyIds?: string[] | null;
}

export async function insertProgram(db: Knex, input: ProgramFields): Promise<ProgramRow> {
  const [{ id }] = await translateUniqueViolation(() => db('program').insert({
    kind: input.kind, title: input.title, hours: input.hours, format: input.format,
    is_federal_registry: Boolean(input.registryNumber), registry_number: input.registryNumber ?? null,
    provider_name: input.providerName, provider_inn: input.providerInn ?? null,
  }).returning('id'), { program_registry_number: ['a program with this registry number already exists', 'input.registryNumber'] });
  const competencyIds = [...new Set(input.competencyIds ?? [])];
  if (competencyIds.length) await db('program_competency').insert(competencyIds.map((competencyId) => ({ program_id: id, competency_id: competencyId })));
  return (await programsByIds(db, [id]))[0];
}
