import { GraphQLError, Kind, parseValue as parseGraphQLValue, type GraphQLFormattedError, type ValueNode } from 'graphql';
import { z } from 'zod';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cursorKeysFrom, decodeCursor, encodeCursor, isIdKey, isTextAndIdKey, maxPageSize, pageRequest, toConnection } from '../src/connection';
import { maskUnexpectedError, parseInput } from '../src/errors';
import { groupLoader, loaderFamily, rowLoader } from '../src/loaders';
import { DateScalar, DateTimeScalar, isIsoDate } from '../src/scalars';

/** Returns what `work` threw, failing the test when it threw nothing or something other than a GraphQLError. */
function thrown(work: () => unknown): GraphQLError {
  let result: unknown;
  try {
    result = work();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error(`expected a GraphQLError, got ${JSON.stringify(result)}`);
}

function expectBadInput(work: () => unknown, field?: string): GraphQLError {
  const error = thrown(work);
  expect(error.extensions.code).toBe('BAD_USER_INPUT');
  if (field !== undefined) expect(error.extensions.field).toBe(field);
  return error;
}

const literal = (source: string): ValueNode => parseGraphQLValue(source);

describe('Date scalar', () => {
  test.each(['2024-09-01', '2024-02-29', '2000-02-29', '1999-12-31', '2023-01-01'])('accepts the calendar day %s', (day) => {
    expect(DateScalar.parseValue(day)).toBe(day);
    expect(DateScalar.parseLiteral(literal(JSON.stringify(day)), undefined)).toBe(day);
    expect(DateScalar.serialize(day)).toBe(day);
  });

  test.each([
    ['a day that does not exist', '2024-02-30'],
    ['February 29 of a common year', '2023-02-29'],
    ['1900 was not a leap year', '1900-02-29'],
    ['month 13', '2024-13-01'],
    ['day 0', '2024-01-00'],
    ['digits not zero-padded', '2024-1-5'],
    ['a date with a time', '2024-01-05T00:00:00Z'],
    ['day first', '05.01.2024'],
    ['an empty string', ''],
    ['leading space', ' 2024-01-05'],
  ])('rejects %s (%s) with BAD_USER_INPUT', (_why, value) => {
    expectBadInput(() => DateScalar.parseValue(value));
    expectBadInput(() => DateScalar.parseLiteral(literal(JSON.stringify(value)), undefined));
    // Serializing never throws: an odd stored value is shown as it is, not turned into an error of the whole list.
    expect(DateScalar.serialize(value)).toBe(value);
  });

  test.each([
    ['year 0000 (1 BC to PostgreSQL)', '0000-06-01'],
    ['the year before the window', '1899-12-31'],
    ['the year after the window', '2101-01-01'],
    ['year 9999', '9999-12-31'],
  ])('refuses %s (%s): the window is 1900–2100', (_why, value) => {
    const error = expectBadInput(() => DateScalar.parseValue(value));
    expect(error.message).toMatch(/between 1900-01-01 and 2100-12-31/);
    expectBadInput(() => DateScalar.parseLiteral(literal(JSON.stringify(value)), undefined));
  });

  test.each(['1900-01-01', '2100-12-31'])('accepts the window\'s edge %s', (day) => {
    expect(DateScalar.parseValue(day)).toBe(day);
  });

  test.each([['0001-06-01 BC', '0001-06-01 BC'], ['10000-01-01', '10000-01-01'], ['infinity', 'infinity'], [new Date(Number.NaN), 'Invalid Date'], [new Date('0000-06-01T00:00:00Z'), '0000-06-01']])(
    'serializes the stored odd value %p as text instead of throwing', (value, shown) => {
      expect(DateScalar.serialize(value)).toContain(shown);
    });

  test.each([20240105, null, undefined, true, {}, ['2024-01-05']])('rejects the non-string %p', (value) => {
    expectBadInput(() => DateScalar.parseValue(value));
  });

  test('rejects literals that are not strings', () => {
    expectBadInput(() => DateScalar.parseLiteral(literal('20240105'), undefined));
    expectBadInput(() => DateScalar.parseLiteral(literal('true'), undefined));
    expectBadInput(() => DateScalar.parseLiteral({ kind: Kind.ENUM, value: 'TODAY' }, undefined));
  });

  test('serializes a JS Date (UTC midnight) as its day', () => {
    expect(DateScalar.serialize(new Date(Date.UTC(2024, 8, 1)))).toBe('2024-09-01');
  });

  test('isIsoDate knows leap years', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2024-04-31')).toBe(false);
  });
});

describe('DateTime scalar', () => {
  test.each([
    ['2024-09-01T10:00:00+03:00', '2024-09-01T07:00:00.000Z'],
    ['2024-09-01T10:00:00Z', '2024-09-01T10:00:00.000Z'],
    ['2024-09-01T10:00Z', '2024-09-01T10:00:00.000Z'],
    ['2024-09-01T10:00:00.123-05:00', '2024-09-01T15:00:00.123Z'],
    ['2024-02-29T23:30:00-01:00', '2024-03-01T00:30:00.000Z'],
  ])('accepts %s and serializes it in UTC as %s', (value, utc) => {
    expect(DateTimeScalar.parseValue(value)).toBe(value);
    expect(DateTimeScalar.parseLiteral(literal(JSON.stringify(value)), undefined)).toBe(value);
    expect(DateTimeScalar.serialize(value)).toBe(utc);
  });

  test('serializes a JS Date in UTC', () => {
    expect(DateTimeScalar.serialize(new Date('2024-09-01T10:00:00+03:00'))).toBe('2024-09-01T07:00:00.000Z');
  });

  test.each([
    ['no zone offset', '2024-09-01T10:00:00'],
    ['a day that does not exist', '2024-02-30T10:00:00Z'],
    ['February 29 of a common year', '2023-02-29T10:00:00Z'],
    ['hour 25', '2024-09-01T25:00:00Z'],
    ['only a date', '2024-09-01'],
    ['a space instead of T', '2024-09-01 10:00:00Z'],
    ['an offset without colon', '2024-09-01T10:00:00+0300'],
    ['digits not zero-padded', '2024-9-1T10:00:00Z'],
    ['not a date at all', 'tomorrow'],
  ])('rejects %s (%s) with BAD_USER_INPUT', (_why, value) => {
    expectBadInput(() => DateTimeScalar.parseValue(value));
    expectBadInput(() => DateTimeScalar.parseLiteral(literal(JSON.stringify(value)), undefined));
    expect(DateTimeScalar.serialize(value)).toBe(value);
  });

  test.each([
    ['year 0000', '0000-06-01T00:00:00Z'],
    ['before the window', '1899-12-31T23:59:59Z'],
    ['after the window', '2101-01-01T00:00:00Z'],
    ['2100 as written, 2101 in UTC', '2100-12-31T23:00:00-05:00'],
  ])('refuses %s (%s): the window is 1900–2100', (_why, value) => {
    const error = expectBadInput(() => DateTimeScalar.parseValue(value));
    expect(error.message).toMatch(/between 1900-01-01 and 2100-12-31/);
  });

  test('serializes a stored instant outside the window, and an infinite one, without throwing', () => {
    expect(DateTimeScalar.serialize(new Date('0000-06-01T00:00:00Z'))).toBe('0000-06-01T00:00:00.000Z');
    expect(DateTimeScalar.serialize(new Date(Date.UTC(10000, 0, 1)))).toBe('+010000-01-01T00:00:00.000Z');
    expect(DateTimeScalar.serialize(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });

  test.each([1725174000000, null, undefined, {}, false])('rejects the non-string %p', (value) => {
    expectBadInput(() => DateTimeScalar.parseValue(value));
  });

  test('rejects literals that are not strings', () => {
    expectBadInput(() => DateTimeScalar.parseLiteral(literal('1725174000000'), undefined));
    expectBadInput(() => DateTimeScalar.parseLiteral(literal('null'), undefined));
  });
});

describe('connections: pages and cursors', () => {
  const list = 'test.people by name';
  const uuid = '7a0d5c64-43a6-4c3b-9a8e-4f1f4a1e2b3c';

  test('a page asks for one row more than the client wants, to learn whether there is a next page', () => {
    expect(pageRequest(list, 10, undefined)).toEqual({ list, first: 10, limit: 11, after: null, before: null, backward: false });
    expect(pageRequest(list, undefined, null)).toEqual({ list, first: 50, limit: 51, after: null, before: null, backward: false });
    expect(pageRequest(list, null, null, undefined, 20)).toEqual({ list, first: 20, limit: 21, after: null, before: null, backward: false });
    expect(pageRequest(list, 0, null)).toEqual({ list, first: 0, limit: 1, after: null, before: null, backward: false });
    expect(pageRequest(list, maxPageSize, null)).toMatchObject({ first: maxPageSize });
  });

  test.each([-1, maxPageSize + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('first = %p is BAD_USER_INPUT on field first', (first) => {
    expectBadInput(() => pageRequest(list, first, null), 'first');
  });

  test('a cursor opens, in its own list, to the sort key it was made from', () => {
    const key = ['Семёнов иван', uuid, 42, null, true];
    const cursor = encodeCursor(list, key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(list, cursor)).toEqual(key);
    expect(pageRequest(list, 5, cursor, () => true)).toEqual({ list, first: 5, limit: 6, after: key, before: null, backward: false });
  });

  test('a cursor decodes to nothing readable: no name, no id, no JSON, whatever the encoding tried', () => {
    const name = 'алексеева ирина александровна';
    const cursor = encodeCursor(list, [name, uuid]);
    for (const encoding of ['base64url', 'base64'] as const) {
      const bytes = Buffer.from(cursor, encoding);
      for (const text of [bytes.toString('utf8'), bytes.toString('latin1'), bytes.toString('utf16le')]) {
        expect(text).not.toContain('алексеева');
        expect(text).not.toContain(uuid);
        expect(text).not.toContain(uuid.slice(0, 8));
        expect(() => JSON.parse(text)).toThrow();
      }
    }
  });

  test('the same row gives the same cursor, another row or list another; a cursor\'s length does not tell a name\'s', () => {
    expect(encodeCursor(list, ['иванова', uuid])).toBe(encodeCursor(list, ['иванова', uuid]));
    expect(encodeCursor(list, ['иванова', uuid])).not.toBe(encodeCursor(list, ['иванов', uuid]));
    expect(encodeCursor(list, ['иванова', uuid])).not.toBe(encodeCursor('test.people by id', ['иванова', uuid]));
    expect(encodeCursor(list, ['ли', uuid])).toHaveLength(encodeCursor(list, ['константинопольская анастасия', uuid]).length);
  });

  test('a cursor of another list, or of the same list in another order, is BAD_USER_INPUT on field after', () => {
    const cursor = encodeCursor('test.people by id', [uuid]);
    expectBadInput(() => decodeCursor(list, cursor), 'after');
    expectBadInput(() => pageRequest(list, 5, cursor), 'after');
    expectBadInput(() => pageRequest('test.organizations', 5, encodeCursor(list, ['школа', uuid])), 'after');
  });

  test('an edited cursor is BAD_USER_INPUT on field after: any byte changed, cut short or lengthened', () => {
    const cursor = encodeCursor(list, ['иванова', uuid]);
    const bytes = Buffer.from(cursor, 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const edited = Buffer.from(bytes);
      edited[i] ^= 0x01;
      expectBadInput(() => decodeCursor(list, edited.toString('base64url')), 'after');
    }
    expectBadInput(() => decodeCursor(list, bytes.subarray(0, -1).toString('base64url')), 'after');
    expectBadInput(() => decodeCursor(list, Buffer.concat([bytes, Buffer.from([0])]).toString('base64url')), 'after');
  });

  test('a cursor sealed with another key is BAD_USER_INPUT on field after', () => {
    const other = cursorKeysFrom({ secret: 'x'.repeat(32), production: true, devKeyFile: '/nonexistent' });
    expectBadInput(() => decodeCursor(list, encodeCursor(list, ['иванова', uuid], other)), 'after');
  });

  test('a sort key of another shape than the list\'s is BAD_USER_INPUT on field after', () => {
    expectBadInput(() => pageRequest(list, 5, encodeCursor(list, ['Иванова', 'not-a-uuid'])), 'after');
    expectBadInput(() => pageRequest(list, 5, encodeCursor(list, [1])), 'after');
    expectBadInput(() => pageRequest(list, 5, encodeCursor(list, [uuid]), isTextAndIdKey), 'after');
    expectBadInput(() => pageRequest(list, 5, encodeCursor(list, ['иванова', uuid]), isIdKey), 'after');
    expect(pageRequest(list, 5, encodeCursor(list, ['иванова', uuid])).after).toHaveLength(2);
    expect(pageRequest(list, 5, encodeCursor(list, [uuid]), isIdKey).after).toEqual([uuid]);
  });

  test.each([
    ['garbage', 'not a cursor!!'],
    ['empty-looking', '-'],
    ['forged (base64 of a sort key)', Buffer.from(JSON.stringify(['к', '00000000-0000-0000-0000-000000000000'])).toString('base64url')],
    ['base64 of a JSON object', Buffer.from('{"id":1}').toString('base64url')],
    ['base64 of null', Buffer.from('null').toString('base64url')],
    ['very long', 'A'.repeat(100_000)],
  ])('a %s cursor is BAD_USER_INPUT on field after', (_why, cursor) => {
    expectBadInput(() => decodeCursor(list, cursor), 'after');
    expectBadInput(() => pageRequest(list, 10, cursor), 'after');
  });

  const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  const keyOf = (row: { id: string }) => [row.id];
  const noCount = () => Promise.resolve(0);
  const opened = (cursor: string | null) => (cursor === null ? null : decodeCursor(list, cursor));

  test('a full page with one row more has a next page and ends at its last row', () => {
    const page = pageRequest(list, 2, null);
    const connection = toConnection(rows, page, keyOf, noCount);
    expect(connection.nodes).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(connection.edges.map((edge) => edge.node)).toEqual(connection.nodes);
    expect(connection.edges.map((edge) => opened(edge.cursor))).toEqual([['a'], ['b']]);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(opened(connection.pageInfo.startCursor)).toEqual(['a']);
    expect(opened(connection.pageInfo.endCursor)).toEqual(['b']);
  });

  test('the last page has no next page', () => {
    const page = pageRequest(list, 3, encodeCursor(list, ['0']), () => true);
    const connection = toConnection(rows, page, keyOf, noCount);
    expect(connection.nodes).toHaveLength(3);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(opened(connection.pageInfo.endCursor)).toEqual(['c']);
  });

  test('an empty page has null cursors', () => {
    const connection = toConnection([], pageRequest(list, 10, null), keyOf, noCount);
    expect(connection.edges).toEqual([]);
    expect(connection.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  test('first: 0 returns no rows but still says whether there are any', () => {
    const connection = toConnection(rows.slice(0, 1), pageRequest(list, 0, null), keyOf, noCount);
    expect(connection.nodes).toEqual([]);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, endCursor: null });
  });

  test('totalCount is only computed when asked for', async () => {
    const count = jest.fn(() => Promise.resolve(3));
    const connection = toConnection(rows, pageRequest(list, 2, null), keyOf, count);
    expect(count).not.toHaveBeenCalled();
    await expect(connection.totalCount()).resolves.toBe(3);
    expect(count).toHaveBeenCalledTimes(1);
  });
});

describe('the cursor key', () => {
  const uuid = '7a0d5c64-43a6-4c3b-9a8e-4f1f4a1e2b3c';
  const scratch = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mms-cursor-')), 'dev-cursor-key');

  test('a production run without CURSOR_SECRET refuses to start', () => {
    expect(() => cursorKeysFrom({ secret: undefined, production: true, devKeyFile: scratch() })).toThrow(/CURSOR_SECRET must be set/);
    expect(() => cursorKeysFrom({ secret: '  ', production: true, devKeyFile: scratch() })).toThrow(/CURSOR_SECRET must be set/);
  });

  test('a CURSOR_SECRET shorter than 32 characters is refused', () => {
    expect(() => cursorKeysFrom({ secret: 'short', production: true, devKeyFile: scratch() })).toThrow(/at least 32 characters/);
  });

  test('without CURSOR_SECRET a dev key is made once and kept, so cursors survive a restart', () => {
    const file = scratch();
    const before = cursorKeysFrom({ secret: undefined, production: false, devKeyFile: file });
    expect(fs.existsSync(file)).toBe(true);
    const after = cursorKeysFrom({ secret: '', production: false, devKeyFile: file });
    expect(after).toEqual(before);
    expect(decodeCursor('l', encodeCursor('l', [uuid], before), after)).toEqual([uuid]);
  });

  test('replicas with the same CURSOR_SECRET read each other\'s cursors; while rotating, the old secret still reads', () => {
    const old = 'o'.repeat(40);
    const next = 'n'.repeat(40);
    const replica = cursorKeysFrom({ secret: old, production: true, devKeyFile: '/nonexistent' });
    const other = cursorKeysFrom({ secret: old, production: true, devKeyFile: '/nonexistent' });
    const cursor = encodeCursor('l', [uuid], replica);
    expect(decodeCursor('l', cursor, other)).toEqual([uuid]);
    const rotating = cursorKeysFrom({ secret: `${next}, ${old}`, production: true, devKeyFile: '/nonexistent' });
    expect(decodeCursor('l', cursor, rotating)).toEqual([uuid]);
    expect(decodeCursor('l', encodeCursor('l', [uuid], rotating), cursorKeysFrom({ secret: next, production: true, devKeyFile: '/x' }))).toEqual([uuid]);
    const rotated = cursorKeysFrom({ secret: next, production: true, devKeyFile: '/nonexistent' });
    expectBadInput(() => decodeCursor('l', cursor, rotated), 'after');
  });
});

describe('loaders: one query for all the keys of a tick', () => {
  interface Row { id: string; owner: string }
  const table: Row[] = [
    { id: 'r1', owner: 'x' }, { id: 'r2', owner: 'y' }, { id: 'r3', owner: 'x' }, { id: 'r4', owner: 'z' },
  ];

  test('rowLoader returns rows in key order, null for a missing key, with one batch call', async () => {
    // The "query" returns rows in its own order, not the keys' order.
    const load = jest.fn(async (keys: readonly string[]) => table.filter((row) => keys.includes(row.id)).reverse());
    const loader = rowLoader(load, (row) => row.id);
    const results = await Promise.all(['r3', 'missing', 'r1', 'r4'].map((key) => loader.load(key)));
    expect(results).toEqual([table[2], null, table[0], table[3]]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(load.mock.calls[0][0]).toEqual(['r3', 'missing', 'r1', 'r4']);
  });

  test('rowLoader asks for a key loaded twice in one tick only once', async () => {
    const load = jest.fn(async (keys: readonly string[]) => table.filter((row) => keys.includes(row.id)));
    const loader = rowLoader(load, (row) => row.id);
    const [a, b] = await Promise.all([loader.load('r2'), loader.load('r2')]);
    expect(a).toBe(table[1]);
    expect(b).toBe(table[1]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(load.mock.calls[0][0]).toEqual(['r2']);
  });

  test('groupLoader returns each key its rows in query order, an empty array for none, with one batch call', async () => {
    const load = jest.fn(async (keys: readonly string[]) => table.filter((row) => keys.includes(row.owner)));
    const loader = groupLoader(load, (row) => row.owner);
    const results = await loader.loadMany(['z', 'nobody', 'x']);
    expect(results).toEqual([[table[3]], [], [table[0], table[2]]]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  test('groupLoader ignores rows of keys that were not asked for', async () => {
    const loader = groupLoader(async () => table, (row) => row.owner);
    expect(await loader.load('y')).toEqual([table[1]]);
  });

  test('loads in a later tick make a second batch call', async () => {
    const load = jest.fn(async (keys: readonly string[]) => table.filter((row) => keys.includes(row.id)));
    const loader = rowLoader(load, (row) => row.id);
    await loader.load('r1');
    await loader.load('r2');
    expect(load).toHaveBeenCalledTimes(2);
  });

  test('loaderFamily keeps one loader per distinct argument', () => {
    const make = jest.fn((day: string | null) => ({ day }));
    const family = loaderFamily(make);
    expect(family('2024-09-01')).toBe(family('2024-09-01'));
    expect(family('2024-09-01')).not.toBe(family('2024-09-02'));
    expect(family(null)).toBe(family(null));
    expect(make).toHaveBeenCalledTimes(3);
  });
});

describe('errors: what a client sees', () => {
  const schema = z.object({
    a: z.object({ b: z.string().min(1), c: z.array(z.number()) }),
    name: z.string(),
  });

  test('parseInput returns the parsed input when it is valid', () => {
    expect(parseInput(schema, { a: { b: 'x', c: [1] }, name: 'n', extra: 1 })).toEqual({ a: { b: 'x', c: [1] }, name: 'n' });
  });

  test('parseInput names the nested field of the first problem', () => {
    const error = expectBadInput(() => parseInput(schema, { a: { b: '', c: [] }, name: 'n' }), 'input.a.b');
    expect(error.message).toMatch(/^input\.a\.b: /);
  });

  test('parseInput names array positions and lists every problem', () => {
    const error = expectBadInput(() => parseInput(schema, { a: { b: 'x', c: [1, 'two'] } }));
    expect(error.extensions.field).toBe('input.a.c.1');
    const fields = (error.extensions.issues as { field: string }[]).map((issue) => issue.field);
    expect(fields).toEqual(expect.arrayContaining(['input.a.c.1', 'input.name']));
  });

  test('parseInput uses the given root', () => {
    expectBadInput(() => parseInput(z.string().uuid(), 'nope', 'id'), 'id');
  });

  test('an unexpected error (SQL) reaches the client as a bare Internal server error', () => {
    const sqlError = new Error('insert into "staff"."educator" ("snils") values ($1) - duplicate key value violates unique constraint "educator_snils_key"');
    const formatted: GraphQLFormattedError = {
      message: sqlError.message,
      path: ['createEducator'],
      locations: [{ line: 1, column: 12 }],
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: insert into ...', '    at Client.query (pg/lib/client.js:1:1)'] },
    };
    const masked = maskUnexpectedError(formatted, sqlError);
    expect(masked).toEqual({
      message: 'Internal server error', path: ['createEducator'], locations: [{ line: 1, column: 12 }],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(masked)).not.toMatch(/insert|educator_snils_key|stacktrace|pg\/lib/);
  });

  test('an error without a code, or with a code we do not know, is masked too', () => {
    expect(maskUnexpectedError({ message: 'relation "staff.educator" does not exist' }, new Error('x'))).toMatchObject({
      message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(maskUnexpectedError({ message: 'ECONNREFUSED 10.0.0.5:5432', extensions: { code: 'ECONNREFUSED' } }, new Error('x'))).toEqual({
      message: 'Internal server error', path: undefined, locations: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  test.each(['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED', 'CONFLICT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED'])(
    'an error we raised on purpose (%s) passes unchanged, without its stacktrace',
    (code) => {
      const formatted: GraphQLFormattedError = {
        message: 'snils 123 is not valid',
        path: ['createEducator'],
        extensions: { code, field: 'input.snils', stacktrace: ['GraphQLError: ...'] },
      };
      expect(maskUnexpectedError(formatted, new GraphQLError(formatted.message))).toEqual({
        message: 'snils 123 is not valid', path: ['createEducator'], extensions: { code, field: 'input.snils' },
      });
    },
  );
});
