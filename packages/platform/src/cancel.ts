/**
 * Abandoned work stops (issue 14). Every request to a subgraph carries an AbortSignal, kept in AsyncLocalStorage
 * for the whole of its execution (resolvers, DataLoader batches, transactions):
 *
 * - it aborts at the request's deadline (`SUBGRAPH_DEADLINE_MS`, by default the gateway's SUBGRAPH_TIMEOUT_MS plus
 *   2 s: by then the gateway has given up and nobody reads the answer; `SUBGRAPH_BULK_DEADLINE_MS`, 5 minutes, for
 *   the bulk import mutations of `bulkOperations`), and when the HTTP client goes away before its answer (the
 *   gateway's own timeout closes the connection, a user closes the tab);
 * - the subgraph's knex (`cancelOnAbort`) then refuses to start any statement for that request (and to take a pool
 *   connection for it), and cancels the statement it is running (`pg_cancel_backend`, through knex's pg
 *   `cancelQuery`, on a connection of its own outside the pool). The connection goes back to the pool only after the
 *   cancel was delivered, so a late cancel can never hit the next request's statement. ROLLBACK still runs, so a
 *   cancelled mutation's transaction ends rolled back.
 *
 * The request's error is then coded: `TIMEOUT` (its deadline passed) or `REQUEST_CANCELLED` (its caller left),
 * never INTERNAL_SERVER_ERROR. A `statement_timeout` on the pool connections of a running subgraph
 * (`DB_STATEMENT_TIMEOUT_MS`, 60 s; see db.ts) is the backstop should a cancel ever be lost.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import type { Knex } from 'knex';
import { integerFromEnv, limits } from './config';
import { logger } from './logger';

/** What the current request carries: its signal, and (for an expensive request) a cap on its pool connections. */
export interface RequestScope {
  signal: AbortSignal;
  /** At most this many pool connections at once for this request (set by the fair-share limiter); none: no cap. */
  connections?: Semaphore;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

/** The current request's signal (undefined outside a request: seeds, migrations, tests calling knex directly). */
export const currentSignal = (): AbortSignal | undefined => requestScope.getStore()?.signal;

/** Why a request was stopped: its deadline, or its caller left. The abort reason of the request's signal. */
export class RequestCancelledError extends GraphQLError {
  constructor(readonly why: 'deadline' | 'client gone', readonly deadlineMs?: number) {
    super(why === 'deadline'
      ? `the request did not finish within its deadline of ${deadlineMs} ms and was stopped; narrow the query or try later`
      : 'the request was cancelled: its caller went away',
    { extensions: { code: why === 'deadline' ? 'TIMEOUT' : 'REQUEST_CANCELLED' } });
  }
}

/** The error for work refused or stopped because the request was aborted: a new one each time (knex writes the SQL into the message of what it rethrows). */
export function cancelledError(signal: AbortSignal): GraphQLError {
  const reason = signal.reason as unknown;
  return reason instanceof RequestCancelledError ? new RequestCancelledError(reason.why, reason.deadlineMs) : new RequestCancelledError('client gone');
}


/** Deadlines of a subgraph request, read from the environment at each call (tests and the bench set them). */
export const deadlines = {
  /** SUBGRAPH_DEADLINE_MS: a little above the gateway's SUBGRAPH_TIMEOUT_MS; 0 turns the deadline off. */
  requestMs: () => integerFromEnv('SUBGRAPH_DEADLINE_MS', limits.subgraphTimeoutMs + 2000),
  /** SUBGRAPH_BULK_DEADLINE_MS: the bulk import mutations (up to 5,000 rows a request). */
  bulkMs: () => integerFromEnv('SUBGRAPH_BULK_DEADLINE_MS', 300_000),
};

/** Mutations that legitimately run long (bulk imports): they get `SUBGRAPH_BULK_DEADLINE_MS`. */
export const bulkOperations = ['upsertEducators'];
const bulkPattern = new RegExp(`\\b(${bulkOperations.join('|')})\\b`);
/** Whether a document is a bulk import mutation (a longer deadline here, a longer timeout at the gateway). */
export const isBulkOperation = (query: string) => bulkPattern.test(query) && /^\s*mutation\b/.test(query);

/**
 * Express middleware, after the body parser and before Apollo's: gives the request its signal (deadline, client
 * gone) and runs the rest of the request inside `requestScope`.
 */
export function requestDeadline(): RequestHandler {
  return (req, res, next) => {
    const query = typeof req.body?.query === 'string' ? req.body.query as string : '';
    const deadlineMs = isBulkOperation(query) ? deadlines.bulkMs() : deadlines.requestMs();
    const controller = new AbortController();
    // One listener per statement in flight (a DataLoader batch runs many at once): not a leak.
    setMaxListeners(0, controller.signal);
    const timer = deadlineMs > 0 ? setTimeout(() => controller.abort(new RequestCancelledError('deadline', deadlineMs)), deadlineMs) : undefined;
    timer?.unref();
    res.once('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) controller.abort(new RequestCancelledError('client gone'));
    });
    controller.signal.addEventListener('abort', () => {
      logger.warn({ requestId: req.header('x-request-id'), reason: (controller.signal.reason as RequestCancelledError).why }, 'request stopped');
    }, { once: true });
    requestScope.run({ signal: controller.signal }, () => next());
  };
}

/**
 * The gateway's part: a request whose client goes away before its answer aborts its signal, and the gateway's
 * subgraph fetches (subgraph-client.ts) are aborted with it, so the subgraphs cancel their SQL in turn.
 */
export function abandonOnClose(): RequestHandler {
  return (_req, res, next) => {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    res.once('close', () => {
      if (!res.writableFinished) controller.abort(new RequestCancelledError('client gone'));
    });
    requestScope.run({ signal: controller.signal }, () => next());
  };
}

/** A counting semaphore whose waits end early (rejected) when the request is aborted. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly size: number) {}
  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.active < this.size) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(wake), 1);
        reject(cancelledError(signal!));
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        this.active += 1;
        resolve();
      };
      this.waiting.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
  release(): void {
    this.active -= 1;
    this.waiting.shift()?.();
  }
}

const installed = new WeakSet<object>();
const rollback = /^\s*rollback\b/i;

/**
 * Makes a knex instance obey the current request's signal (see the file's comment): no pool connection taken and no
 * statement started for an aborted request; the running statement cancelled on abort. Idempotent.
 */
export function cancelOnAbort(knex: Knex): Knex {
  const client = knex.client as Knex.Client & {
    query(connection: unknown, obj: unknown): Promise<unknown>;
    _query(connection: unknown, obj: { sql: string }): Promise<unknown>;
    cancelQuery(connection: unknown): Promise<unknown>;
    acquireConnection(): Promise<Record<string, unknown>>;
    releaseConnection(connection: Record<string, unknown>): Promise<void>;
  };
  if (installed.has(client)) return knex;
  installed.add(client);
  const run = client.query.bind(client);
  const query = client._query.bind(client);
  const acquire = client.acquireConnection.bind(client);
  const release = client.releaseConnection.bind(client);

  client.acquireConnection = async () => {
    const scope = requestScope.getStore();
    if (scope?.signal.aborted) throw cancelledError(scope.signal);
    if (!scope?.connections) return acquire();
    await scope.connections.acquire(scope.signal);
    try {
      const connection = await acquire();
      connection.__mmsSlot = scope.connections;
      return connection;
    } catch (error) {
      scope.connections.release();
      throw error;
    }
  };
  client.releaseConnection = (connection) => {
    const slot = connection.__mmsSlot as Semaphore | undefined;
    delete connection.__mmsSlot;
    const released = release(connection);
    slot?.release();
    return released;
  };
  // Above knex's own error handling (which writes the SQL into the message): the error of an aborted request is ours, clean.
  client.query = async (connection, obj) => {
    const signal = requestScope.getStore()?.signal;
    if (!signal) return run(connection, obj);
    try {
      return await run(connection, obj);
    } catch (error) {
      if (signal.aborted) throw cancelledError(signal);
      throw error;
    }
  };
  client._query = async (connection, obj) => {
    const signal = requestScope.getStore()?.signal;
    if (!signal || rollback.test(obj.sql)) return query(connection, obj);
    if (signal.aborted) throw cancelledError(signal);
    let cancelling: Promise<unknown> | undefined;
    const onAbort = () => {
      // Outside the request's scope: the cancel's own statement must not be refused as the request's.
      cancelling = requestScope.exit(() => client.cancelQuery(connection))
        .catch((error: unknown) => logger.warn({ err: error }, 'cancelling a statement failed'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await query(connection, obj);
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (cancelling) await cancelling;
    }
  };
  return knex;
}
