/**
 * No caller can starve the others (issue 14): expensive reads are limited per caller and in total, with a bounded
 * queue; past it the caller gets `RATE_LIMITED` with `retryAfter` (seconds), HTTP 429 with `Retry-After`.
 *
 * Which reads are expensive is decided from the operation alone (`isExpensiveOperation`): it asks for one of
 * `expensiveFields` anywhere in its selection (fragments followed; a field under `@skip(if: true)` or
 * `@include(if: false)`, with the request's variables, does not count):
 * - `indicatorTrend`: one indicator over up to 10 academic years;
 * - `breakdown`: an indicator's values for every child scope (30 municipalities, or a municipality's organizations);
 * - `numeratorEducators`, `denominatorEducators`: the drill-down to the educators behind a number;
 * - `statistics`, `statisticsEducators`: ad-hoc statistics over the scope's population and their drill-down.
 * An indicator table without these (`indicatorValues` of one scope and year: what a methodist's screen asks) is an
 * ordinary read. The gateway also counts its file routes: the educator exports, the indicator export and a build of
 * the calendar feed (a cached feed costs nothing and is not counted).
 *
 * Used by the gateway (GraphQL and those routes) and by every subgraph (its port may be reachable directly): each
 * process has its own limiter, `FAIR_SHARE_*` in the environment:
 * - `FAIR_SHARE_PER_CALLER` (1) expensive requests of one caller at once, and as many more waiting;
 * - `FAIR_SHARE_TOTAL` (1) expensive requests at once in the process, `FAIR_SHARE_QUEUE` (8) waiting (bench:overload at
 *   60,000 educators on 2 cores: the methodist's table p95 1.03 s with 1, 1.63 s with 2, 1.25 s with no analysts at all);
 * - `FAIR_SHARE_QUEUE_WAIT_MS` (5000): a request waits at most this long for its turn, then RATE_LIMITED;
 * - `FAIR_SHARE_DB_CONNECTIONS` (1): in a subgraph, pool connections one expensive request may hold at once
 *   (its aliases and DataLoader batches otherwise take the whole pool: the worst allowed query held all 10 for
 *   85 s). With the total of 1, expensive work holds at most one of a subgraph's connections (one of PostgreSQL's
 *   cores busy), and ordinary reads always find one free;
 * - `FAIR_SHARE=0` turns all of it off (the bench compares both).
 * A caller is the token's role and subject (`analyst:42`); an anonymous one (the calendar) is its address.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError, Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import type { Viewer } from './auth';
import { requestScope, Semaphore } from './cancel';
import { integerFromEnv } from './config';

export const expensiveFields = ['indicatorTrend', 'breakdown', 'numeratorEducators', 'denominatorEducators', 'statistics', 'statisticsEducators'];

export interface FairShareOptions {
  enabled: boolean;
  perCaller: number;
  total: number;
  queue: number;
  queueWaitMs: number;
  dbConnections: number;
}

function positive(name: string, fallback: number): number {
  return integerFromEnv(name, fallback, 1);
}

export function fairShareOptionsFromEnv(): FairShareOptions {
  return {
    enabled: process.env.FAIR_SHARE !== '0',
    perCaller: positive('FAIR_SHARE_PER_CALLER', 1),
    total: positive('FAIR_SHARE_TOTAL', 1),
    queue: positive('FAIR_SHARE_QUEUE', 8),
    queueWaitMs: positive('FAIR_SHARE_QUEUE_WAIT_MS', 5000),
    dbConnections: positive('FAIR_SHARE_DB_CONNECTIONS', 1),
  };
}

/** Over the limit: code RATE_LIMITED, `retryAfter` in seconds; HTTP 429 with Retry-After when it ends a request. */
export class RateLimitedError extends GraphQLError {
  constructor(readonly retryAfter: number, why: string) {
    super(`too many expensive requests ${why}; retry after ${retryAfter} s`, {
      extensions: {
        code: 'RATE_LIMITED', retryAfter,
        // Apollo Server reads a Map here (the declared type says a record).
        http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) as unknown as Record<string, string> },
      },
    });
  }
}

/** Who a caller is for the limiter: role and subject of the token; an anonymous caller by its address. */
export function callerKey(viewer: Viewer, address?: string): string {
  return viewer.role === 'anonymous' ? `anonymous:${address ?? ''}` : `${viewer.role}:${viewer.subject ?? ''}`;
}

interface Waiter { caller: string; admit(): void }

/** A concurrency limit per caller and in total, with a bounded queue (first come, first served among callers under their limit). */
export class FairShare {
  private readonly active = new Map<string, number>();
  private readonly queued = new Map<string, number>();
  private readonly queue: Waiter[] = [];
  private running = 0;
  /** Average time an expensive request held its slot (ms): what `retryAfter` is estimated from. */
  private averageMs = 1000;

  constructor(readonly options: FairShareOptions = fairShareOptionsFromEnv()) {}

  /** Waits for a slot (or refuses at once); gives back the release (idempotent). */
  async acquire(caller: string, signal?: AbortSignal): Promise<() => void> {
    const { perCaller, total, queue, queueWaitMs } = this.options;
    if (!this.options.enabled) return () => {};
    if ((this.active.get(caller) ?? 0) < perCaller && this.running < total && !this.queue.some((w) => w.caller === caller)) {
      return this.admitted(caller);
    }
    if ((this.queued.get(caller) ?? 0) >= perCaller) throw new RateLimitedError(this.retryAfter(), 'from this caller at once');
    if (this.queue.length >= queue) throw new RateLimitedError(this.retryAfter(), 'in progress');
    this.queued.set(caller, (this.queued.get(caller) ?? 0) + 1);
    return new Promise<() => void>((resolve, reject) => {
      const leave = () => {
        this.queue.splice(this.queue.indexOf(waiter), 1);
        this.queued.set(caller, (this.queued.get(caller) ?? 1) - 1);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = { caller, admit: () => { leave(); resolve(this.admitted(caller)); } };
      const timer = setTimeout(() => { leave(); reject(new RateLimitedError(this.retryAfter(), 'in progress')); }, queueWaitMs);
      const onAbort = () => { leave(); reject(signal!.reason instanceof Error ? signal!.reason : new Error('aborted')); };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /** Figures for tests and logs. */
  state(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }

  private retryAfter(): number {
    const waitingRounds = Math.ceil((this.queue.length + 1) / this.options.total);
    return Math.max(1, Math.ceil((this.averageMs * waitingRounds) / 1000));
  }

  private admitted(caller: string): () => void {
    this.running += 1;
    this.active.set(caller, (this.active.get(caller) ?? 0) + 1);
    const started = Date.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      const left = (this.active.get(caller) ?? 1) - 1;
      if (left) this.active.set(caller, left); else this.active.delete(caller);
      this.averageMs = this.averageMs * 0.8 + (Date.now() - started) * 0.2;
      this.next();
    };
  }

  private next(): void {
    if (this.running >= this.options.total) return;
    const waiter = this.queue.find((w) => (this.active.get(w.caller) ?? 0) < this.options.perCaller);
    waiter?.admit();
  }
}

/** Whether a field is left out by `@skip(if: true)` or `@include(if: false)` (literal or variable). */
function skipped(node: { directives?: readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: unknown }[] }[] }, variables: Record<string, unknown>): boolean {
  for (const directive of node.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const argument = directive.arguments?.find((a) => a.name.value === 'if')?.value as { kind: string; value?: unknown; name?: { value: string } } | undefined;
    const value = argument?.kind === Kind.VARIABLE ? variables[argument.name!.value] : argument?.kind === Kind.BOOLEAN ? argument.value : undefined;
    if (name === 'skip' && value === true) return true;
    if (name === 'include' && value === false) return true;
  }
  return false;
}

/** Whether an operation asks for one of `expensiveFields` (see the file's comment). */
export function isExpensiveOperation(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown> = {}): boolean {
  if (operation.operation !== 'query') return false;
  const seen = new Set<string>();
  const visit = (selectionSet: SelectionSetNode): boolean => selectionSet.selections.some((selection) => {
    if (skipped(selection, variables)) return false;
    switch (selection.kind) {
      case Kind.FIELD:
        return expensiveFields.includes(selection.name.value) || (selection.selectionSet !== undefined && visit(selection.selectionSet));
      case Kind.INLINE_FRAGMENT:
        return visit(selection.selectionSet);
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        if (seen.has(name) || !fragments[name]) return false;
        seen.add(name);
        return visit(fragments[name].selectionSet);
      }
    }
  });
  return visit(operation.selectionSet);
}

/**
 * Marks a context whose request was already admitted by the limiter (a gateway file route running its own
 * operation). A property, not a WeakSet: Apollo Server hands plugins a shallow copy of the context it was given.
 */
const admittedMark = Symbol('fair-share admitted');
export function markAdmitted<C extends object>(context: C): C {
  (context as Record<symbol, boolean>)[admittedMark] = true;
  return context;
}
const isAdmitted = (context: object) => (context as Record<symbol, boolean>)[admittedMark] === true;

/**
 * The Apollo Server plugin: an expensive operation takes a slot of `fairShare` for its caller once the operation is
 * known, and gives it back with its answer. In a subgraph (`capConnections`) it also caps the pool connections the
 * request may hold at once (FAIR_SHARE_DB_CONNECTIONS).
 */
export function fairSharePlugin<C extends { viewer: Viewer }>(fairShare: FairShare, options: { capConnections?: boolean } = {}): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      if (!fairShare.options.enabled || isAdmitted(contextValue)) return;
      let release: (() => void) | undefined;
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!operation) return;
          const fragments = Object.fromEntries(document.definitions
            .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
          if (!isExpensiveOperation(operation, fragments, request.variables ?? {})) return;
          const scope = requestScope.getStore();
          release = await fairShare.acquire(callerKey(contextValue.viewer), scope?.signal);
          if (options.capConnections && scope) scope.connections = new Semaphore(fairShare.options.dbConnections);
        },
        async willSendResponse() {
          release?.();
        },
      };
    },
  };
}
