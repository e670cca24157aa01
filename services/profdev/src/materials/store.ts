import type { Knex } from 'knex';
import type { PageRequest, Viewer } from '@mms/platform';
import { ownerSql } from '../store/scope';
import { whereVisible as wherePracticeVisible } from '../practices/store';

/**
 * The library of materials (issue 19) and the files of practices and materials, kept in PostgreSQL: metadata in
 * `stored_file`, content in chunks of `file_chunk`. Who reads a material is decided in SQL (`whereVisible`): PUBLIC
 * ones everyone; INTERNAL ones the region's readers, and the readers of the municipality keeping it (a regional
 * one: every signed-in reader). A file is read by whoever may read what it is attached to.
 */

export interface MaterialRow {
  id: string;
  kind: string;
  title: string;
  subjectArea: string | null;
  audiences: string[];
  year: number | null;
  url: string | null;
  visibility: string;
  municipalityId: string | null;
  annotation: string | null;
  outsideAuthors: string | null;
  eventIds: string[];
  associationIds: string[];
}

export interface MaterialAuthorRow {
  materialId: string;
  educatorId: string;
  organizationId: null;
  consentToPublish: boolean;
  publicName: string | null;
}

export interface FileRow {
  id: string;
  practiceId: string | null;
  materialId: string | null;
  name: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
}

const materialColumns = ['m.id', 'm.kind', 'm.title', 'm.subject_area as subjectArea', 'm.audiences', 'm.year', 'm.url', 'm.visibility',
  'm.municipality_id as municipalityId', 'm.annotation', 'm.outside_authors as outsideAuthors', 'm.event_ids as eventIds', 'm.association_ids as associationIds'];

/** The materials `viewer` may read, as a condition on alias `m`. */
export function whereVisible(query: Knex.QueryBuilder, viewer: Viewer, alias = 'm'): Knex.QueryBuilder {
  const c = (column: string) => `${alias}.${column}`;
  const internal = (municipalities: (q: Knex.QueryBuilder) => void) => query.where((q) => q.where(c('visibility'), 'public')
    .orWhereNull(c('municipality_id')).orWhere((inner) => municipalities(inner)));
  switch (viewer.role) {
    case 'region_admin':
    case 'analyst':
      return query;
    case 'municipality_methodist':
    case 'integration':
      return internal((q) => q.where(c('municipality_id'), viewer.municipalityId!));
    case 'organization_admin':
      return internal((q) => q.whereIn(c('municipality_id'), (sub) => sub.select('municipality_id').from('staff_api.organization').where('id', viewer.organizationId!)));
    case 'educator':
      return internal((q) => q.whereIn(c('municipality_id'), (sub) => sub.select('municipality_id').from('staff_api.employment').where('educator_id', viewer.educatorId!)));
    case 'anonymous':
    default:
      return query.where(c('visibility'), 'public');
  }
}

export interface MaterialFilter {
  search?: string | null;
  kind?: string | null;
  audience?: string | null;
  subjectArea?: string | null;
  municipalityId?: string | null;
  visibility?: string | null;
  practiceId?: string | null;
}

function filtered(db: Knex, viewer: Viewer, filter: MaterialFilter): Knex.QueryBuilder {
  const query = whereVisible(db('material as m'), viewer);
  if (filter.search) query.whereRaw(`m.search @@ websearch_to_tsquery('russian', ?)`, [filter.search]);
  if (filter.kind) query.where('m.kind', filter.kind);
  if (filter.audience) query.whereRaw('? = any(m.audiences)', [filter.audience]);
  if (filter.subjectArea) query.where('m.subject_area', filter.subjectArea);
  if (filter.municipalityId) query.where((q) => q.where('m.municipality_id', filter.municipalityId!).orWhereNull('m.municipality_id'));
  if (filter.visibility) query.where('m.visibility', filter.visibility);
  if (filter.practiceId) {
    query.whereExists((sub) => sub.select(sub.client.raw('1')).from('material_practice as fp').whereRaw('fp.material_id = m.id').where('fp.practice_id', filter.practiceId!));
  }
  return query;
}

/** Sort key: (year desc, title, id) as (-(year or 0), title, id). */
export const materialKey = (row: MaterialRow) => [-(row.year ?? 0), row.title, row.id];
export const isMaterialKey = (key: unknown[]) => key.length === 3 && typeof key[0] === 'number' && typeof key[1] === 'string' && typeof key[2] === 'string';

export async function listMaterials(db: Knex, viewer: Viewer, filter: MaterialFilter, page: PageRequest): Promise<MaterialRow[]> {
  const query = filtered(db, viewer, filter).select(materialColumns)
    .orderByRaw('-coalesce(m.year, 0), m.title, m.id').limit(page.limit);
  if (page.after) query.whereRaw('(-coalesce(m.year, 0), m.title, m.id) > (?::int, ?, ?::uuid)', page.after as [number, string, string]);
  return query;
}

export async function countMaterials(db: Knex, viewer: Viewer, filter: MaterialFilter): Promise<number> {
  const [{ count }] = await filtered(db, viewer, filter).count({ count: '*' });
  return Number(count);
}

export async function materialsByIds(db: Knex, viewer: Viewer | null, ids: readonly string[]): Promise<MaterialRow[]> {
  const query = db('material as m').select(materialColumns).whereIn('m.id', ids);
  return viewer ? whereVisible(query, viewer) : query;
}

/** Materials linked to each practice, those `viewer` may read. */
export async function materialsByPractices(db: Knex, viewer: Viewer, practiceIds: readonly string[]): Promise<(MaterialRow & { practiceId: string })[]> {
  return whereVisible(db('material as m').join('material_practice as mp', 'mp.material_id', 'm.id')
    .select(['mp.practice_id as practiceId', ...materialColumns]).whereIn('mp.practice_id', practiceIds).orderBy([{ column: 'm.title' }, { column: 'm.id' }]), viewer);
}

/** Practice ids linked to each material (the practices themselves go through the practice loader, which checks who reads them). */
export async function practiceLinksByMaterials(db: Knex, materialIds: readonly string[]): Promise<{ materialId: string; practiceId: string }[]> {
  return db('material_practice').select('material_id as materialId', 'practice_id as practiceId').whereIn('material_id', materialIds).orderBy('id');
}

export async function authorsByMaterials(db: Knex, materialIds: readonly string[]): Promise<MaterialAuthorRow[]> {
  return db('material_author as a').select('a.material_id as materialId', db.raw(`${ownerSql('a.educator_id')} as "educatorId"`), db.raw('null as "organizationId"'),
    'a.consent_to_publish as consentToPublish', 'a.public_name as publicName').whereIn('a.material_id', materialIds).orderBy([{ column: 'a.ordinal' }]);
}

export async function insertMaterial(db: Knex, input: {
  kind: string; title: string; subjectArea?: string | null; audiences: string[]; year?: number | null; url?: string | null; visibility: string;
  municipalityId: string | null; annotation?: string | null; outsideAuthors?: string | null; authorIds: string[]; practiceIds: string[]; eventIds: string[]; associationIds: string[];
}): Promise<string> {
  const [{ id }] = await db('material').insert({
    kind: input.kind, title: input.title, subject_area: input.subjectArea ?? null, audiences: input.audiences, year: input.year ?? null, url: input.url ?? null,
    visibility: input.visibility, municipality_id: input.municipalityId, annotation: input.annotation ?? null, outside_authors: input.outsideAuthors ?? null,
    event_ids: input.eventIds, association_ids: input.associationIds,
  }).returning('id');
  if (input.authorIds.length) await db('material_author').insert(input.authorIds.map((educatorId, ordinal) => ({ material_id: id, educator_id: educatorId, ordinal })));
  if (input.practiceIds.length) await db('material_practice').insert(input.practiceIds.map((practiceId) => ({ material_id: id, practice_id: practiceId })));
  return id;
}

export async function setMaterialConsent(db: Knex, materialId: string, educatorId: string, consent: boolean, publicName: string | null): Promise<number> {
  return db('material_author').where({ material_id: materialId }).whereRaw(`${ownerSql('educator_id')} = ?`, [educatorId])
    .update({ consent_to_publish: consent, public_name: consent ? publicName : null });
}

// ---- files ----

const fileColumns = ['f.id', 'f.practice_id as practiceId', 'f.material_id as materialId', 'f.name', 'f.mime_type as mimeType',
  'f.size_bytes as sizeBytes', 'f.sha256', 'f.uploaded_at as uploadedAt'];

const asFile = (row: FileRow): FileRow => ({ ...row, sizeBytes: Number(row.sizeBytes), uploadedAt: new Date(row.uploadedAt).toISOString() });

export async function filesByPractices(db: Knex, practiceIds: readonly string[]): Promise<FileRow[]> {
  return (await db('stored_file as f').select(fileColumns).whereIn('f.practice_id', practiceIds).orderBy([{ column: 'f.uploaded_at' }, { column: 'f.id' }])).map(asFile);
}

export async function filesByMaterials(db: Knex, materialIds: readonly string[]): Promise<FileRow[]> {
  return (await db('stored_file as f').select(fileColumns).whereIn('f.material_id', materialIds).orderBy([{ column: 'f.uploaded_at' }, { column: 'f.id' }])).map(asFile);
}

/** A file `viewer` may read (through what it is attached to), with whether it is public; undefined otherwise. */
export async function readableFile(db: Knex, viewer: Viewer, id: string): Promise<(FileRow & { isPublic: boolean }) | undefined> {
  const row = await db('stored_file as f').select([...fileColumns,
    db.raw(`coalesce((select m.visibility = 'public' from material m where m.id = f.material_id), (select p.stage = 'recommended' from practice p where p.id = f.practice_id)) as "isPublic"`)])
    .where('f.id', id)
    .where((q) => q.whereExists((sub) => wherePracticeVisible(sub.select(sub.client.raw('1')).from('practice as p').whereRaw('p.id = f.practice_id'), viewer))
      .orWhereExists((sub) => whereVisible(sub.select(sub.client.raw('1')).from('material as m').whereRaw('m.id = f.material_id'), viewer)))
    .first();
  return row ? { ...asFile(row), isPublic: Boolean(row.isPublic) } : undefined;
}

/** Whether a file of this id exists at all (to tell 401/403 from 404). */
export async function fileExists(db: Knex, id: string): Promise<boolean> {
  return Boolean(await db('stored_file').where({ id }).first('id'));
}

export const chunkBytes = 256 * 1024;

export async function insertFile(db: Knex, input: { practiceId: string | null; materialId: string | null; name: string; mimeType: string; content: Buffer; sha256: string; role: string; subject: string | null }): Promise<FileRow> {
  const [{ id }] = await db('stored_file').insert({
    practice_id: input.practiceId, material_id: input.materialId, name: input.name, mime_type: input.mimeType, size_bytes: input.content.length, sha256: input.sha256,
    uploaded_by_role: input.role, uploaded_by_subject: input.subject,
  }).returning('id');
  for (let seq = 0; seq * chunkBytes < input.content.length; seq += 1) {
    await db('file_chunk').insert({ file_id: id, seq, data: input.content.subarray(seq * chunkBytes, (seq + 1) * chunkBytes) });
  }
  return asFile(await db('stored_file as f').select(fileColumns).where('f.id', id).first());
}

/** One chunk of a file's content (null past the end): a download reads them one at a time. */
export async function fileChunk(db: Knex, fileId: string, seq: number): Promise<Buffer | null> {
  const row = await db('file_chunk').where({ file_id: fileId, seq }).first('data');
  return row ? row.data as Buffer : null;
}
