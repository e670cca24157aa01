/**
 * Trusted documents (issue 17): with `PERSISTED_DOCUMENTS=<manifest.json>` the gateway runs, for the front-end roles,
 * only the documents the manifest lists. The manifest is the file GraphQL Code Generator's client preset writes with
 * `persistedDocuments: true` (`persisted-documents.json`): `{ "<id>": "<document>" }`, the id `sha256:<hex>` (client
 * preset 5+) or the bare hex (older ones, Apollo's persisted-query manifests), the hex being the SHA-256 of the
 * document's text, which is checked when the file is read.
 *
 * A document is named by either convention:
 * - Apollo's: `extensions.persistedQuery.sha256Hash` (POST body, or `extensions` of a GET), no `query`;
 * - GraphQL over HTTP's persisted documents (Appendix A): `documentId` (`sha256:<hex>`, or the bare hex), in the POST
 *   body or the GET query string. `documentIdToApollo` turns it into Apollo's form before Apollo Server reads the
 *   request, with or without a manifest.
 *
 * Who must use the manifest: every role without 'documents:ad-hoc' in the policy table (educator, organization_admin,
 * municipality_methodist, anonymous callers). Region admins, analysts (their ad-hoc queries are what they are for) and
 * integration (its bulk mutations and change-feed synchronisation are written by other systems) may still send any
 * document. The gateway's own routes (exports, calendar) run their own fixed operations and are not concerned.
 *
 * In this mode automatic persisted queries (APQ) are off: nothing is ever registered. A document sent with its hash
 * runs when the manifest holds exactly that document under that hash; otherwise a front-end role is refused and a role
 * with ad-hoc rights gets it run as an ordinary query, unregistered. Without `PERSISTED_DOCUMENTS` the gateway is as
 * before: any document, and Apollo Server's APQ with its bounded in-memory cache (~30 MB LRU).
 *
 * Refusals are HTTP 400 (a request error in GraphQL over HTTP: no `data`, 4xx), before anything is parsed:
 * `PERSISTED_DOCUMENT_REQUIRED` (a front-end role sent a document of its own) and `PERSISTED_QUERY_NOT_FOUND` (an id
 * the manifest does not hold). Enforced at the gateway: the subgraphs' ports must stay unreachable from outside.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { GraphQLError, parse } from 'graphql';
import { can, type Viewer } from '@mms/platform';

/** The manifest as read: document by id, every id in the forms a client may send it. */
export interface TrustedDocuments {
  /** Where it was read from (the log line at start). */
  source: string;
  /** How many documents the file lists. */
  count: number;
  lookup(id: string): string | undefined;
}

const sha256Hex = /^[0-9a-f]{64}$/;
const sha256Of = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The bare hex of a SHA-256 id (`sha256:<hex>` or `<hex>`), or the id itself when it is not one. */
const normalizedId = (id: string) => (id.startsWith('sha256:') ? id.slice('sha256:'.length) : id);

/**
 * Reads and checks a manifest: a JSON object of id → document; a SHA-256 id must be the hash of its document, and every
 * document must parse. Anything else stops the gateway at start, naming the first bad entry.
 */
export function readTrustedDocuments(file: string): TrustedDocuments {
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`PERSISTED_DOCUMENTS=${file}: cannot read the manifest as JSON (${(error as Error).message})`);
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new Error(`PERSISTED_DOCUMENTS=${file}: the manifest must be a JSON object of "<sha256 hash>": "<document>", as GraphQL Code Generator's client preset writes it`);
  }
  const documents = new Map<string, string>();
  for (const [id, document] of Object.entries(manifest)) {
    if (typeof document !== 'string') throw new Error(`PERSISTED_DOCUMENTS=${file}: the entry ${id} is not a document (a string)`);
    const key = normalizedId(id);
    if (id.startsWith('sha256:') && !sha256Hex.test(key)) throw new Error(`PERSISTED_DOCUMENTS=${file}: ${id} is not sha256:<64 lower-case hex digits>`);
    if (sha256Hex.test(key) && sha256Of(document) !== key) {
      throw new Error(`PERSISTED_DOCUMENTS=${file}: ${id} is not the SHA-256 of its document (was the file edited by hand?)`);
    }
    try {
      parse(document);
    } catch (error) {
      throw new Error(`PERSISTED_DOCUMENTS=${file}: the document ${id} does not parse: ${(error as Error).message}`);
    }
    documents.set(key, document);
  }
  return { source: file, count: documents.size, lookup: (id) => documents.get(normalizedId(id)) };
}

/** The manifest named by `PERSISTED_DOCUMENTS`, or undefined when the variable is not set (every document allowed). */
export function trustedDocumentsFromEnv(env: NodeJS.ProcessEnv = process.env): TrustedDocuments | undefined {
  const file = env.PERSISTED_DOCUMENTS?.trim();
  return file ? readTrustedDocuments(file) : undefined;
}

/**
 * Express middleware before Apollo Server: a GraphQL-over-HTTP persisted document request (`documentId`, POST body or
 * GET query string) becomes Apollo's form (`extensions.persistedQuery.sha256Hash`), which Apollo Server (APQ) or the
 * trusted-documents plugin then resolves. A request with both `documentId` and `query` is left as it is.
 */
export function documentIdToApollo() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.method === 'POST' && req.body && typeof req.body === 'object' && typeof req.body.documentId === 'string' && req.body.query === undefined) {
      const { documentId, ...rest } = req.body as { documentId: string; extensions?: Record<string, unknown> };
      req.body = { ...rest, extensions: { ...rest.extensions, persistedQuery: { version: 1, sha256Hash: normalizedId(documentId) } } };
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      const url = new URL(req.url, 'http://gateway');
      const documentId = url.searchParams.get('documentId');
      if (documentId !== null && !url.searchParams.has('query')) {
        let extensions: Record<string, unknown> = {};
        try {
          extensions = JSON.parse(url.searchParams.get('extensions') ?? '{}') as Record<string, unknown>;
        } catch {
          // Apollo Server refuses the bad `extensions` itself (400).
          next();
          return;
        }
        url.searchParams.delete('documentId');
        url.searchParams.set('extensions', JSON.stringify({ ...extensions, persistedQuery: { version: 1, sha256Hash: normalizedId(documentId) } }));
        req.url = `${url.pathname}${url.search}`;
      }
    }
    next();
  };
}

/** A refusal of the request before anything is parsed: HTTP 400, the given code. */
function requestError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/**
 * Marks a context whose operation is the gateway's own (an export, the calendar): a fixed document written here, not
 * one a caller sent. A property, not a WeakSet: Apollo Server hands plugins a shallow copy of the context.
 */
const ownOperationMark = Symbol('own operation');
export function markOwnOperation<C extends object>(context: C): C {
  (context as Record<symbol, boolean>)[ownOperationMark] = true;
  return context;
}
const isOwnOperation = (context: object) => (context as Record<symbol, boolean>)[ownOperationMark] === true;

/**
 * The Apollo Server plugin of the trusted-documents mode (used with `persistedQueries: false`). It runs before Apollo
 * Server reads the document: an id the manifest holds becomes the document; everything else is decided by the role.
 *
 * A refused request's document is replaced by `{ __typename }` so that nothing the caller sent is parsed or
 * validated, and the refusal is raised at the first hook whose errors Apollo Server answers as a request error (an
 * error thrown at the start of a request would be answered as an internal error, 500).
 */
export function trustedDocumentsPlugin<C extends { viewer: Viewer }>(documents: TrustedDocuments): ApolloServerPlugin<C> {
  const refuse = (request: { query?: string }, error: GraphQLError) => {
    request.query = '{ __typename }';
    return { async didResolveOperation() { throw error; } };
  };
  return {
    async requestDidStart({ request, contextValue }) {
      if (isOwnOperation(contextValue)) return;
      const persisted = request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
      if (persisted) {
        const id = typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : '';
        const document = documents.lookup(id);
        const { persistedQuery: _used, ...extensions } = request.extensions!;
        request.extensions = extensions;
        if (request.query === undefined) {
          if (document === undefined) {
            return refuse(request, requestError('PERSISTED_QUERY_NOT_FOUND',
              `no trusted document has the id ${JSON.stringify(id)}: this gateway runs only the documents of its manifest (PERSISTED_DOCUMENTS)`));
          }
          request.query = document;
          return;
        }
        // A document with its hash (an APQ client registering it): nothing is registered in this mode.
        if (document !== undefined && document === request.query) return;
      }
      if (request.query !== undefined && !can(contextValue.viewer, 'documents:ad-hoc')) {
        return refuse(request, requestError('PERSISTED_DOCUMENT_REQUIRED', `role ${contextValue.viewer.role} may send only trusted documents, by id: `
          + '{ "documentId": "sha256:<hash>" } or { "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "<hash>" } } }'));
      }
    },
  };
}
