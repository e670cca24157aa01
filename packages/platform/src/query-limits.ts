/**
 * The limits every GraphQL server of this project holds a query to, the gateway and each subgraph alike (a subgraph's
 * port can be reached without the gateway, so it is a wall of its own): depth, aliases, directives, tokens, cost, the
 * kind of operation, and, in a subgraph, the rows of one answer (see response-limit.ts).
 *
 * How a refused query looks to a client, whichever limit refused it: HTTP 400, nothing executed, and
 *   { message: 'query depth 15 exceeds the limit of 12',
 *     extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth', max: 12, found: 15 } }
 * GRAPHQL_VALIDATION_FAILED because that is what the refusal is: the document is refused before anything runs (Apollo
 * Server 5 sets that code on every validation-rule error, so the BAD_USER_INPUT graphql-armor reports would be
 * overwritten anyway). `limit` names the limit for programs; the message names it and both figures for people.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getArgumentValues, getNamedType, getNullableType, GraphQLError, isListType, isObjectType, isInterfaceType, Kind, Lexer, OperationTypeNode,
  Source, TokenKind,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLFormattedError,
  type GraphQLNamedType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Limits } from './config';

/** The limits a query's shape is held to; `found` and `max` in every refusal. */
export type QueryLimit = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

const phrase: Record<QueryLimit, (found: number, max: number) => string> = {
  depth: (found, max) => `query depth ${found} exceeds the limit of ${max}`,
  aliases: (found, max) => `query has ${found} aliases, over the limit of ${max}`,
  directives: (found, max) => `query has ${found} directives, over the limit of ${max}`,
  tokens: (found, max) => `query has ${found} tokens, over the limit of ${max}`,
  cost: (found, max) => `query cost ${found} exceeds the limit of ${max}`,
};

export function limitError(limit: QueryLimit, found: number, max: number): GraphQLError {
  return new GraphQLError(phrase[limit](found, max), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, max, found } });
}

/**
 * graphql-armor's rules for depth, aliases and directives, as validation rules. Armor says what it found only inside
 * its own message ("Query depth limit of 12 exceeded, found 15."), so the refusal reads the figure from there and
 * reports our own error; a test holds each message to its figures, so an armor upgrade that rewords them fails there,
 * not in production.
 *
 * Not armor's token limit: its Apollo plugin throws from `parsingDidStart`, which Apollo Server 5 treats as an
 * unexpected error (HTTP 500). graphql-js counts tokens itself while parsing (`parseOptions.maxTokens`), stopping the
 * parser at the first token over; `tokenLimitRefusal` turns that syntax error into the same shape as the others.
 * Not armor's cost either: it cannot see variables (validation runs before them) and ignores default page sizes and
 * unpaginated lists; the cost is `queryLimits`' (below), once the operation and its variables are known.
 *
 * Depth flattens fragments: a fragment is a way of writing a selection, not a level of nesting. Introspection
 * (`__schema`) is left out of depth; who may introspect at all is the gateway's `introspectionForSignedIn`'s business.
 */
export function limitRules(limits: Pick<Limits, 'maxDepth' | 'maxAliases' | 'maxDirectives'>): ValidationRule[] {
  const refuse = (limit: QueryLimit, max: number) => (context: ValidationContext | null, error: GraphQLError) => {
    const found = /found (\d+(?:\.\d+)?)/.exec(error.message);
    const refusal = found ? limitError(limit, Math.ceil(Number(found[1])), max)
      : new GraphQLError(`query exceeds the ${limit} limit of ${max}`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, max } });
    context?.reportError(refusal);
  };
  const reported = (limit: QueryLimit, max: number) => ({ propagateOnRejection: false, onReject: [refuse(limit, max)], exposeLimits: true });
  // One armor per limit, every other protection off, so the rules run (and report) in this order: a query nested
  // too deep is usually too costly as well, and its depth is the better explanation.
  const off = { enabled: false };
  const only = (config: ConstructorParameters<typeof ApolloArmor>[0]) => new ApolloArmor({
    maxDepth: off, maxAliases: off, maxDirectives: off, costLimit: off,
    // Parsing is graphql-js's (above); field suggestions are the gateway's business (introspectionForSignedIn).
    maxTokens: off, blockFieldSuggestion: off, ...config,
  }).protect().validationRules;
  return [
    ...only({ maxDepth: { n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...reported('depth', limits.maxDepth) } }),
    ...only({ maxAliases: { n: limits.maxAliases, ...reported('aliases', limits.maxAliases) } }),
    ...only({ maxDirectives: { n: limits.maxDirectives, ...reported('directives', limits.maxDirectives) } }),
  ];
}

/** Tokens in a document, as graphql-js's parser counts them (comments and the end are not tokens). */
export function countTokens(source: string): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // A syntax error further on: the tokens before it are all there is to count.
  }
  return count;
}

/** graphql-js's own words when `maxTokens` stops the parser ("more that" is its spelling). */
const tokenLimitMessage = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/;

/** The token limit's refusal in the shape of the others, when `error` is graphql-js's parser stopping at it. */
export function tokenLimitRefusal(error: unknown): GraphQLFormattedError | undefined {
  for (let cause = error; cause instanceof GraphQLError; cause = cause.originalError) {
    const match = tokenLimitMessage.exec(cause.message);
    if (match) {
      const max = Number(match[1]);
      const found = cause.source ? countTokens(cause.source.body) : max + 1;
      const refusal = limitError('tokens', found, max);
      return { message: refusal.message, extensions: refusal.extensions };
    }
  }
  return undefined;
}

/**
 * The cost model: what a query will make a server produce, estimated from the document, the schema and the variables
 * before anything runs. The cost is the number of values the answer will hold (every field of every object counts 1),
 * with objects of an expensive type counting their weight instead of 1:
 *   cost(selection) = Σ fields: weight(field) + size(field) × cost(field's selection)
 * where size is 1 for a single object and, for a list, the page asked for or an estimate:
 * - `first` (or `last`) given (a literal or a variable) counts as given; a connection's `first` or `last` sizes its
 *   `edges` and `nodes`;
 * - `first` left to its default counts the smaller of the default and the list's estimate;
 * - a list without `first` counts its estimate in `listSizes` (sizes of a region: 30 municipalities, 1,500
 *   organizations, 60,000 educators), `defaultListSize` otherwise;
 * - `_entities(representations:)`, how the gateway asks a subgraph for fields of many entities, counts the
 *   representations; `nodes(ids:)` the ids; `indicatorTrend(academicYears:)` counts the years; an indicator's `breakdown` counts the child
 *   scopes of its level (`breakdowns`).
 * Fragments count where they are spread. Introspection counts nothing (it has its own rules).
 */
export interface CostModel {
  /** Estimated items of a list, by `Type.field`: a number, or a function of the field's arguments. */
  listSizes: Record<string, number | ((args: Record<string, unknown>) => number | undefined)>;
  /** Items of a list that has no estimate. */
  defaultListSize: number;
  /** What one object of a type costs beyond 1: computing it is expensive (an indicator value is an SQL statement). */
  typeWeights: Record<string, number>;
  /**
   * Breakdowns into child scopes: the fields that start one, with the sizes of its levels from the scope asked for
   * (the region: 30 municipalities, then 50 organizations each; a municipality: 50; an organization: none), and the
   * list field that goes one level down. A breakdown of a breakdown of the region's values is its organizations, and
   * one level further is empty, whatever is asked.
   */
  breakdowns: { field: string; levels: Record<string, (args: Record<string, unknown>) => number[]> };
  /**
   * Fields answering one object whose lists are sized by the field's own arguments, as a connection's `first` sizes
   * its edges: a statistics answer holds as many rows as its groups (`statisticsGroups`).
   */
  groupCounts?: Record<string, (args: Record<string, unknown>) => number | undefined>;
}

/**
 * How many values each statistics dimension can take in a region (30 municipalities, 1,500 organizations, 6
 * categories with "none", 6 age bands…; services/indicators/src/statistics/model.ts), so that a statistics request
 * costs the product of its dimensions' cardinalities: its groups. MONTH and ACADEMIC_YEAR scale with the years asked.
 */
export const statisticsCardinality: Record<string, number> = {
  REGION: 1, MUNICIPALITY: 30, ORGANIZATION: 1500, ORGANIZATION_KIND: 5, POSITION: 50, STAFF_CATEGORY: 2, CATEGORY: 6,
  AGE_BAND: 6, EXPERIENCE_BAND: 5, EARLY_CAREER: 2, UNDER_35: 2, COMPETENCY: 30, PROGRAM_KIND: 2, FEDERAL_REGISTRY: 2,
  EVENT_KIND: 11, EVENT_LEVEL: 4, ROLE: 4, FORM: 5, STATUS: 6, MONTH: 12, ACADEMIC_YEAR: 1,
  OUTCOME: 3, FINAL_STAGE: 2, REQUEST_KIND: 6, REQUESTER_KIND: 3,
};

/** The groups a statistics request can answer: the product of its dimensions' cardinalities (at least 1). */
export function statisticsGroups(args: Record<string, unknown>): number {
  const years = Array.isArray(args.academicYears) ? Math.max(1, args.academicYears.length) : 1;
  const groupBy = Array.isArray(args.groupBy) ? args.groupBy : [];
  return groupBy.reduce((product: number, dimension) => {
    // The gateway sees the enum's name (MUNICIPALITY), a subgraph its internal value (municipality).
    const name = String(dimension).toUpperCase();
    const size = name === 'MONTH' || name === 'ACADEMIC_YEAR' ? statisticsCardinality[name] * years : statisticsCardinality[name] ?? 20;
    return product * size;
  }, 1);
}

const scopeLevels = (args: Record<string, unknown>): number[] => {
  const scope = (args.scope ?? {}) as { region?: unknown; municipalityId?: unknown; organizationId?: unknown };
  if (scope.organizationId) return [];
  if (scope.municipalityId) return [50];
  return [30, 50];
};

export const costModel: CostModel = {
  listSizes: {
    'Query.municipalities': 30,
    'Municipality.organizations': 50,
    'Organization.employments': 40,
    'Educator.employments': 3,
    'Educator.categoryHistory': 4,
    'Educator.attestations': 4,
    'Educator.statuses': 3,
    'Educator.assignedEducators': 10,
    'Educator.regionalMethodists': 2,
    'Educator.diagnostics': 3,
    'Diagnostic.deficits': 5,
    'Educator.deficits': 5,
    'Educator.routes': 3,
    'DevelopmentRoute.items': 10,
    'Educator.completions': 10,
    'Educator.mentorships': 2,
    'Educator.supportReceived': 5,
    'Educator.associations': 2,
    'Educator.competitionApplications': 2,
    'Educator.competitionResults': 3,
    'Query.events': 200,
    'Query.calendar': 200,
    'Event.participations': 30,
    'Educator.participations': 10,
    'Organization.hostedEvents': 20,
    // Course runs (issue 24): a group's applicants and indicator 11's runs behind a number.
    'CourseRun.applications': 30,
    'IndicatorValue.courseRuns': 5,
    'Educator.selfEducation': 3,
    'Query.indicators': 15,
    'Query.indicatorValues': 15,
    'Query.indicatorTrend': (args) => (Array.isArray(args.academicYears) ? args.academicYears.length : undefined),
    'Municipality.indicators': 15,
    'Organization.indicators': 15,
    'Query._entities': (args) => (Array.isArray(args.representations) ? args.representations.length : undefined),
    // Requests for help, support sessions and surveys (services/profdev, issue 20): capped lists.
    'Query.overdueHelpRequests': 200,
    'HelpRequest.support': 3,
    'HelpRequest.supportSessions': 2,
    'Query.supportSessions': 500,
    'SupportSession.participants': 30,
    'Educator.supportSessions': 5,
    'Query.surveys': 200,
    'Survey.questions': 20,
    'Query.surveyRespondents': 1000,
    'Query.surveyResults': 31,
    'SurveyResultGroup.questions': 20,
    'SurveyQuestionResult.counts': 10,
    'SurveyQuestionResult.texts': 50,
    'SurveyResultGroup.topDirections': 20,
    'Query.dataRequests': 200,
    'DataRequest.targets': 50,
    'DataRequest.late': 50,
    'DataRequestTarget.figures': 20,
    // Relay: the ids asked (at most 100, services/staff/src/relay/resolvers.ts).
    'Query.nodes': (args) => (Array.isArray(args.ids) ? args.ids.length : undefined),
  },
  defaultListSize: 20,
  typeWeights: {
    // Computed at query time over the scope's population (services/indicators: one statement per indicator and tick,
    // whatever the number of scopes, but each value is a row of it and a trend's years are statements of their own).
    IndicatorValue: 5,
    IndicatorReport: 5,
    // One statement over the scope's population, whatever the grouping; its rows count as the groups (groupCounts).
    Statistics: 5,
  },
  breakdowns: {
    field: 'IndicatorValue.breakdown',
    levels: {
      'Query.indicatorValues': scopeLevels,
      'Query.indicatorTrend': scopeLevels,
      'Municipality.indicators': () => [50],
      'Organization.indicators': () => [],
    },
  },
  groupCounts: { 'Query.statistics': statisticsGroups },
};

/** The estimated cost of an operation (see CostModel); `variables` as sent (raw JSON values). */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {}, model: CostModel = costModel): number {
  const fragments = new Map(document.definitions
    .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  // A selection's cost is linear in how many times it runs, so a fragment's cost per run is computed once: a document
  // spreading one fragment many times at every level costs its size to estimate, not the product of its spreads.
  const fragmentCosts = new Map<string, number>();

  const argumentsOf = (field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> => {
    try {
      return getArgumentValues(field, node, variables);
    } catch {
      return {};
    }
  };

  /** Items of a list field: `first` as given, the estimate, or the page size its parent connection was asked for. */
  const sizeOf = (parentType: GraphQLNamedType, field: GraphQLField<unknown, unknown>, node: FieldNode, page: number | undefined): number => {
    const args = argumentsOf(field, node);
    const estimateOf = model.listSizes[`${parentType.name}.${field.name}`];
    const estimate = typeof estimateOf === 'function' ? estimateOf(args) : estimateOf;
    // Paging backward, `last` sizes the page (and wins over `first`, as the connection helper has it).
    const sizeArgument = typeof args.last === 'number' ? 'last' : 'first';
    const first = typeof args[sizeArgument] === 'number' ? args[sizeArgument] as number : undefined;
    if (first !== undefined) {
      const given = node.arguments?.find((a) => a.name.value === sizeArgument);
      const explicit = given !== undefined && (given.value.kind !== Kind.VARIABLE || variables[given.value.name.value] != null);
      return explicit || estimate === undefined ? first : Math.min(first, estimate);
    }
    return estimate ?? page ?? model.defaultListSize;
  };

  const costOf = (selectionSet: SelectionSetNode, parentType: GraphQLNamedType, page: number | undefined, levels: number[] = []): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) ?? parentType : parentType;
        total += costOf(selection.selectionSet, type, page, levels);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue;
        const key = `${fragment.name.value}:${page ?? ''}:${levels.join(',')}`;
        let cost = fragmentCosts.get(key);
        if (cost === undefined) {
          fragmentCosts.set(key, 0); // a cycle (refused by validation anyway) counts nothing
          cost = costOf(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? parentType, page, levels);
          fragmentCosts.set(key, cost);
        }
        total += cost;
      } else {
        const name = selection.name.value;
        if (name.startsWith('__')) continue; // __typename, __schema, __type
        if (!isObjectType(parentType) && !isInterfaceType(parentType)) continue;
        const field = parentType.getFields()[name];
        if (!field) continue;
        const type = getNamedType(field.type);
        const isList = isListType(getNullableType(field.type));
        if (!selection.selectionSet) {
          total += 1;
          continue;
        }
        const weight = 1 + (model.typeWeights[type.name] ?? 0);
        const key = `${parentType.name}.${field.name}`;
        const startsBreakdown = model.breakdowns.levels[key];
        const inner = startsBreakdown ? startsBreakdown(argumentsOf(field, selection)) : levels;
        if (key === model.breakdowns.field) {
          total += (levels[0] ?? 0) * (weight + costOf(selection.selectionSet, type, undefined, levels.slice(1)));
        } else if (isList) {
          total += sizeOf(parentType, field, selection, page) * (weight + costOf(selection.selectionSet, type, undefined, inner));
        } else {
          // A connection: its `first` (or `last`) sizes the lists inside it (edges, nodes).
          const args = argumentsOf(field, selection);
          const groupsOf = model.groupCounts?.[key];
          const pageSize = groupsOf ? groupsOf(args)
            : typeof args.first === 'number' || typeof args.last === 'number' ? sizeOf(parentType, field, selection, undefined) : undefined;
          total += weight + costOf(selection.selectionSet, type, pageSize, inner);
        }
      }
    }
    return total;
  };

  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const cost = costOf(operation.selectionSet, root, undefined);
  return Number.isFinite(cost) ? Math.ceil(cost) : Number.MAX_SAFE_INTEGER;
}

/**
 * The cost limit, as an Apollo Server plugin: the cost needs the operation and its variables, known only once the
 * document is validated and the operation chosen. The refusal is HTTP 400, in the shape of the other limits; nothing
 * runs.
 */
export function queryLimits<C extends object>(limits: Pick<Limits, 'maxCost'>, model: CostModel = costModel): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, request }) {
          if (!operation) return;
          const cost = queryCost(schema, document, operation, request.variables ?? {}, model);
          if (cost > limits.maxCost) {
            const error = limitError('cost', cost, limits.maxCost);
            throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
          }
        },
      };
    },
  };
}

/**
 * A validation rule: a document with more than one operation where one has no name, or with a subscription (this
 * graph has none), is the client's mistake, refused while the document is validated: HTTP 400,
 * GRAPHQL_VALIDATION_FAILED, with `reason` ANONYMOUS_OPERATIONS or SUBSCRIPTION. Left to run on, both ended as HTTP
 * 500 (issue 14).
 */
export const operationShapeRule: ValidationRule = (context) => ({
  Document(node) {
    const operations = node.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.length > 1 && operations.some((o) => !o.name)) {
      context.reportError(new GraphQLError('a document with several operations must name each of them (and the request must say which to run with operationName)',
        { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', reason: 'ANONYMOUS_OPERATIONS' } }));
    }
    for (const operation of operations) {
      if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
        context.reportError(new GraphQLError('subscriptions are not supported by this graph: send a query or a mutation',
          { nodes: [operation], extensions: { code: 'GRAPHQL_VALIDATION_FAILED', reason: 'SUBSCRIPTION' } }));
      }
    }
    return false;
  },
});
