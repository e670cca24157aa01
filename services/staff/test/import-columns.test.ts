import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, type InputObjectTypeDefinitionNode } from 'graphql';
import { headerKey, mapHeaders } from '../../../scripts/lib/spreadsheet';
import { exportOnlyHeaders, fullNameHeaders, importColumns, importColumnsMarkdown, importColumnsText, rowNumberHeaders } from '../src/import-columns';

/**
 * The columns of an import file have one definition (src/import-columns.ts): the README's table, the graph's input
 * and the command's reader are checked against it here.
 */
const repoRoot = path.resolve(__dirname, '../../..');

test('the README\'s table of import columns is the one generated from the definition', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const table = /<!-- import-columns:start -->\n([\s\S]*?)\n<!-- import-columns:end -->/.exec(readme);
  expect(table).not.toBeNull();
  // On a difference: paste importColumnsMarkdown()'s output between the markers.
  expect(table![1]).toBe(importColumnsMarkdown());
  for (const column of importColumns) expect(table![1]).toContain(`| ${column.header} |`);
});

test('every field of EducatorImportRow (but rowNumber) has exactly one column, and no column names a field the graph lacks', () => {
  const schema = parse(fs.readFileSync(path.join(__dirname, '../schema.graphql'), 'utf8'));
  const input = schema.definitions.find((d): d is InputObjectTypeDefinitionNode => d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION && d.name.value === 'EducatorImportRow')!;
  const fields = input.fields!.map((f) => f.name.value).filter((name) => name !== 'rowNumber').sort();
  expect(importColumns.map((c) => c.field).sort()).toEqual(fields);
  expect(new Set(importColumns.map((c) => c.field)).size).toBe(importColumns.length);
  for (const column of importColumns) {
    expect(column.header).not.toBe('');
    expect(column.format).not.toBe('');
    expect(column.required).not.toBe('');
  }
});

test('no header or alias stands for two things, and the reader maps each one to its field', () => {
  const owner = new Map<string, string>();
  const claim = (name: string, what: string) => {
    const key = headerKey(name);
    expect({ name, owner: owner.get(key) ?? what }).toEqual({ name, owner: what });
    owner.set(key, what);
  };
  for (const column of importColumns) for (const name of new Set([column.field, column.header, ...column.aliases].map(headerKey))) claim(name, column.field);
  for (const name of fullNameHeaders) claim(name, 'fullName');
  for (const name of rowNumberHeaders) claim(name, 'rowNumber');
  for (const name of exportOnlyHeaders) claim(name, 'exportOnly');

  for (const column of importColumns) {
    for (const name of [column.header, ...column.aliases, column.field, column.header.toUpperCase(), ` ${column.header.replaceAll('е', 'ё')} `]) {
      const { targets, headers } = mapHeaders([name]);
      expect({ name, target: targets[0], written: headers[column.field] }).toEqual({ name, target: column.field, written: name.trim() });
    }
  }
});

test('the terminal text names every column with its field, format and requirement', () => {
  const text = importColumnsText();
  for (const column of importColumns) {
    expect(text).toContain(`${column.header}  (${column.field})`);
    expect(text).toContain(`required: ${column.required}`);
  }
});
