import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { authenticate, type Viewer } from './auth';
import { logger, type Logger } from './logger';

/** What every resolver of every subgraph gets; a subgraph adds its loaders on top. */
export interface BaseContext {
  viewer: Viewer;
  requestId: string;
  log: Logger;
  db: Knex;
  /**
   * Runs one mutation's work in one transaction, which knows who asks: the audit triggers of each subgraph's schema
   * read the actor and the request id from the transaction's settings (`mms.actor`, `mms.request_id`).
   */
  transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
}

export const requestIdHeader = 'x-request-id';

/** Headers as the HTTP server and the in-process test data source both see them. */
export type HeaderGetter = (name: string) => string | undefined | null;

/** Verifies the token and names the request: the same path for HTTP and for the in-process test graph. */
export async function baseContext(header: HeaderGetter, db: Knex, service: string): Promise<BaseContext> {
  const requestId = validRequestId(header(requestIdHeader)) ?? randomUUID();
  const log = logger.child({ requestId, service });
  const viewer = await authenticate(header('authorization'));
  const actor = JSON.stringify({ role: viewer.role, subject: viewer.subject ?? null });
  return {
    viewer, requestId, log, db,
    transaction: (work) => db.transaction(async (trx) => {
      await trx.raw("select set_config('mms.actor', ?, true), set_config('mms.request_id', ?, true)", [actor, requestId]);
      return work(trx);
    }),
  };
}

function validRequestId(value: string | undefined | null): string | undefined {
  return value && /^[\w.-]{1,100}$/.test(value) ? value : undefined;
}
