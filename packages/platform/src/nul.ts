import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type ArgumentNode, type ASTNode, type ObjectFieldNode } from 'graphql';

/**
 * Where in a variable's value a string holds U+0000, as `$v` or `$input.names.2`; undefined when none does. Walked
 * with a stack of its own, not by recursion: JSON nested 100,000 levels deep is a valid body, and a hostile one.
 */
export function nulIn(value: unknown, path: string): string | undefined {
  const pending: [unknown, string][] = [[value, path]];
  while (pending.length) {
    const [item, at] = pending.pop()!;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return at;
    } else if (item && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) pending.push([child, `${at}.${key}`]);
    }
  }
  return undefined;
}

/**
 * Text holding the NUL character (U+0000) is refused at the edge with BAD_USER_INPUT, in variables and in string
 * literals alike. No text in this graph can hold it: PostgreSQL's text type refuses it, so it could only ever reach a
 * subgraph as an SQL error (an INTERNAL_SERVER_ERROR for the caller). Refused here once for every subgraph.
 */
export function refuseNulCharacters<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let where = Object.entries(request.variables ?? {}).map(([name, value]) => nulIn(value, `$${name}`)).find(Boolean);
          if (!where) {
            visit(document, {
              StringValue(node, _key, parent, _path, ancestors) {
                if (where || !node.value.includes('\u0000')) return;
                const named = [...ancestors, parent].reverse().find((a): a is ArgumentNode | ObjectFieldNode =>
                  !Array.isArray(a) && ((a as ASTNode).kind === Kind.ARGUMENT || (a as ASTNode).kind === Kind.OBJECT_FIELD));
                where = named ? named.name.value : 'a string';
              },
            });
          }
          if (where) {
            throw new GraphQLError(`${where} contains the NUL character (U+0000), which no text of this graph may hold`, {
              extensions: { code: 'BAD_USER_INPUT', field: where, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
