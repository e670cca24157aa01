import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Knex } from 'knex';
import { baseContext, integerFromEnv, isUuid, logger, requestIdHeader, type Viewer } from '@mms/platform';
import { practicesByIds } from '../practices/store';
import * as store from './store';

/**
 * Files of practices and materials, kept in PostgreSQL (issue 19), served by the profdev subgraph at `/files` and
 * reached through the gateway's `/files` (which forwards the caller's token):
 *
 * - `POST /files?practiceId=…|materialId=…&name=…` with the content as the body and its type as `Content-Type`:
 *   refused above FILES_MAX_BYTES (10 MB by default; 413, reading stops there), or when the content does not start
 *   with the signature of the declared type (415; PDF, DOCX, XLSX, PNG, JPEG are taken). Who may: an author of the
 *   practice, or a methodist who may study it; for a material, whoever keeps the library of its municipality.
 *   Answers 201 with the file's metadata. Nothing is written on any refusal (one transaction).
 * - `GET /files/<id>`: the content, streamed chunk by chunk, to whoever may read what the file is attached to;
 *   without a token only files of RECOMMENDED practices and PUBLIC materials (401 otherwise).
 *
 * Refusals are GraphQL-style JSON, `{ errors: [{ message, extensions: { code, reason } }] }`.
 */

export const filesMaxBytes = () => integerFromEnv('FILES_MAX_BYTES', 10 * 1024 * 1024, 1);

/** The types taken, with how their content starts (a small signature table: no sniffing library needed). */
const signatures: Record<string, { extension: string; matches: (head: Buffer, whole: Buffer) => boolean }> = {
  'application/pdf': { extension: 'pdf', matches: (head) => head.subarray(0, 5).toString('latin1') === '%PDF-' },
  'image/png': { extension: 'png', matches: (head) => head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  'image/jpeg': { extension: 'jpg', matches: (head) => head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff },
  // Office Open XML: a ZIP whose entries include the document's own part.
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { extension: 'docx', matches: (head, whole) => isZip(head) && whole.includes('word/') },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { extension: 'xlsx', matches: (head, whole) => isZip(head) && whole.includes('xl/') },
};
const isZip = (head: Buffer) => head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

/** Whether `content` is what `mimeType` says (the signature table above); unknown types are never taken. */
export function contentMatches(mimeType: string, content: Buffer): boolean {
  const signature = signatures[mimeType];
  return Boolean(signature && content.length > 0 && signature.matches(content.subarray(0, 16), content));
}

class FileRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

function send(res: Response, error: FileRefusal): void {
  if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  res.status(error.status).json({ errors: [{ message: error.message, extensions: { code: error.code, ...error.extra } }] });
}

async function viewerOf(req: Request, db: Knex): Promise<{ viewer: Viewer; requestId: string }> {
  try {
    const context = await baseContext((name) => req.header(name), db, 'profdev');
    return { viewer: context.viewer, requestId: context.requestId };
  } catch (error) {
    if (error instanceof GraphQLError) throw new FileRefusal(401, 'UNAUTHENTICATED', error.message);
    throw error;
  }
}

/** Reads the body up to `max` bytes; past it, stops reading and refuses (413). */
function readBody(req: Request, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.header('content-length'));
    if (Number.isFinite(declared) && declared > max) {
      reject(new FileRefusal(413, 'BAD_USER_INPUT', `the file is ${declared} bytes; the limit is ${max} (FILES_MAX_BYTES)`, { reason: 'FILE_TOO_LARGE', limit: max }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.pause();
        reject(new FileRefusal(413, 'BAD_USER_INPUT', `the file is over the limit of ${max} bytes (FILES_MAX_BYTES)`, { reason: 'FILE_TOO_LARGE', limit: max }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** Whether `viewer` may attach files to the practice or material (checked again inside the transaction). */
async function mayAttach(db: Knex, viewer: Viewer, target: { practiceId: string | null; materialId: string | null }): Promise<void> {
  if (viewer.role === 'anonymous') throw new FileRefusal(401, 'UNAUTHENTICATED', 'sign in to upload files');
  if (target.practiceId) {
    const [practice] = await practicesByIds(db, null, [target.practiceId]);
    if (!practice) throw new FileRefusal(404, 'NOT_FOUND', `practice ${target.practiceId} does not exist`, { field: 'practiceId' });
    if (viewer.role === 'region_admin') return;
    if (viewer.role === 'municipality_methodist' && practice.municipalityId === viewer.municipalityId) return;
    if (viewer.role === 'educator' && (await db('practice_author').where({ practice_id: practice.id, educator_id: viewer.educatorId }).first('id'))) return;
    throw new FileRefusal(403, 'FORBIDDEN', 'only the practice\'s authors and the methodists who study it attach files to it');
  }
  const [material] = await store.materialsByIds(db, null, [target.materialId!]);
  if (!material) throw new FileRefusal(404, 'NOT_FOUND', `material ${target.materialId} does not exist`, { field: 'materialId' });
  if (viewer.role === 'region_admin') return;
  if (viewer.role === 'municipality_methodist' && material.municipalityId === viewer.municipalityId) return;
  throw new FileRefusal(403, 'FORBIDDEN', 'only the methodists keeping the material attach files to it');
}

function oneParameter(req: Request, name: string): string | null {
  const value = req.query[name];
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string') throw new FileRefusal(400, 'BAD_USER_INPUT', `${name} must be given once`, { field: name });
  return value;
}

async function upload(req: Request, res: Response, db: Knex): Promise<void> {
  const { viewer } = await viewerOf(req, db);
  const practiceId = oneParameter(req, 'practiceId');
  const materialId = oneParameter(req, 'materialId');
  if (Boolean(practiceId) === Boolean(materialId)) throw new FileRefusal(400, 'BAD_USER_INPUT', 'give practiceId or materialId (one of them)', { field: 'practiceId' });
  const targetId = (practiceId ?? materialId)!;
  if (!isUuid(targetId)) throw new FileRefusal(400, 'BAD_USER_INPUT', `${practiceId ? 'practiceId' : 'materialId'} is not an id of this graph`, { field: practiceId ? 'practiceId' : 'materialId' });
  const name = (oneParameter(req, 'name') ?? '').trim().replace(/[\u0000-\u001f/\\]/g, '_').slice(0, 255);
  if (!name) throw new FileRefusal(400, 'BAD_USER_INPUT', 'name the file: ?name=…', { field: 'name' });
  const mimeType = (req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!signatures[mimeType]) {
    throw new FileRefusal(415, 'BAD_USER_INPUT', `files of type ${mimeType || '(none)'} are not taken; send one of ${Object.keys(signatures).join(', ')}`, { reason: 'UNSUPPORTED_TYPE', field: 'Content-Type' });
  }
  await mayAttach(db, viewer, { practiceId, materialId });
  const content = await readBody(req, filesMaxBytes());
  if (!content.length) throw new FileRefusal(400, 'BAD_USER_INPUT', 'the file is empty', { reason: 'EMPTY_FILE' });
  if (!contentMatches(mimeType, content)) {
    throw new FileRefusal(415, 'BAD_USER_INPUT', `the content is not ${mimeType}: it does not start as a .${signatures[mimeType].extension} file does`, { reason: 'CONTENT_TYPE_MISMATCH', field: 'Content-Type' });
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  const actor = JSON.stringify({ role: viewer.role, subject: viewer.subject ?? null });
  const file = await db.transaction(async (trx) => {
    await trx.raw("select set_config('mms.actor', ?, true), set_config('mms.request_id', ?, true)", [actor, req.header(requestIdHeader) ?? 'files']);
    await mayAttach(trx, viewer, { practiceId, materialId });
    return store.insertFile(trx, { practiceId, materialId, name, mimeType, content, sha256, role: viewer.role, subject: viewer.subject ?? null });
  });
  res.status(201).json({ ...file, url: `/files/${file.id}` });
}

async function download(req: Request, res: Response, db: Knex): Promise<void> {
  const id = String(req.params.id);
  if (!isUuid(id)) throw new FileRefusal(400, 'BAD_USER_INPUT', 'not an id of this graph', { field: 'id' });
  const { viewer } = await viewerOf(req, db);
  const file = await store.readableFile(db, viewer, id);
  if (!file) {
    if (!(await store.fileExists(db, id))) throw new FileRefusal(404, 'NOT_FOUND', `file ${id} does not exist`);
    if (viewer.role === 'anonymous') throw new FileRefusal(401, 'UNAUTHENTICATED', 'this file is not public: sign in');
    throw new FileRefusal(403, 'FORBIDDEN', 'this file is outside your scope');
  }
  res.status(200);
  res.setHeader('Content-Type', file.mimeType);
  res.setHeader('Content-Length', String(file.sizeBytes));
  res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('ETag', `"${file.sha256}"`);
  res.setHeader('Cache-Control', file.isPublic ? 'public, max-age=300' : 'private, no-store');
  for (let seq = 0; ; seq += 1) {
    if (res.destroyed) return;
    const chunk = await store.fileChunk(db, file.id, seq);
    if (!chunk) break;
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

/** Mounts `/files` on the subgraph's HTTP server (SubgraphDefinition.routes). */
export function filesRoutes(app: express.Express, db: Knex): void {
  const handle = (work: (req: Request, res: Response, db: Knex) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await work(req, res, db);
    } catch (error) {
      if (error instanceof FileRefusal) {
        // The rest of a refused upload is not read; the connection closes after the answer.
        if (req.method === 'POST' && !req.complete) res.setHeader('Connection', 'close');
        send(res, error);
        return;
      }
      logger.error({ err: error, service: 'profdev' }, 'files route failed');
      if (!res.headersSent) res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    }
  };
  app.post('/files', handle(upload));
  app.get('/files/:id', handle(download));
}
