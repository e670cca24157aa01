import { maxImportRows, parseDay, parseEducationLevel, parseImportRequest, parseImportRow, parseRate, parseStaffCategory, parseYesNo } from '../src/imports';
import { snilsFor } from '../src/validate';

/** Reading a spreadsheet row's cells (services/staff/src/imports.ts), without a server. */

describe('cells as municipalities write them', () => {
  test('dates are read as DD.MM.YYYY (also D.M.YYYY and with a midnight time) or YYYY-MM-DD, and must be real days', () => {
    expect(parseDay('01.09.2024')).toBe('2024-09-01');
    expect(parseDay('1.9.2024')).toBe('2024-09-01');
    expect(parseDay('01/09/2024')).toBe('2024-09-01');
    expect(parseDay('2024-09-01')).toBe('2024-09-01');
    expect(parseDay('01.09.2024 0:00:00')).toBe('2024-09-01');
    expect(parseDay('2024-09-01T00:00:00.000Z')).toBe('2024-09-01');
    expect(parseDay('29.02.2024')).toBe('2024-02-29');
    for (const bad of ['29.02.2023', '31.04.2024', '2024-13-01', '01.09.24', '2024/09/01', 'вчера', '01.09.2024 13:45']) expect(parseDay(bad)).toBeNull();
  });

  test('a rate takes a point or a comma', () => {
    expect(parseRate('1')).toBe(1);
    expect(parseRate('0,25')).toBe(0.25);
    expect(parseRate('0.5')).toBe(0.5);
    expect(parseRate(',5')).toBe(0.5);
    for (const bad of ['1/2', 'полставки', '0,2,5', '-1', '1e0', '']) expect(parseRate(bad)).toBeNull();
  });

  test('yes and no in Russian and English, and the words of a personnel file', () => {
    for (const yes of ['да', 'Да', 'ДА', 'yes', 'True', '1', 'основное', 'Основное место работы']) expect(parseYesNo(yes)).toBe(true);
    for (const no of ['нет', 'No', 'false', '0', 'совместительство', 'Внешнее совместительство', 'по совместительству']) expect(parseYesNo(no)).toBe(false);
    expect(parseYesNo('может быть')).toBeNull();
  });

  test('staff categories and education levels by their Russian or English names', () => {
    expect(parseStaffCategory('Педагогический')).toBe('pedagogical');
    expect(parseStaffCategory('MANAGERIAL')).toBe('managerial');
    expect(parseStaffCategory('руководитель')).toBe('managerial');
    expect(parseStaffCategory('завхоз')).toBeNull();
    expect(parseEducationLevel('Высшее – бакалавриат')).toBe('higher_bachelor');
    expect(parseEducationLevel('высшее-специалитет, магистратура')).toBe('higher_specialist_or_master');
    expect(parseEducationLevel('Среднее профессиональное')).toBe('secondary_vocational');
    expect(parseEducationLevel('среднее специальное')).toBe('secondary_vocational');
    expect(parseEducationLevel('HIGHER_QUALIFICATION')).toBe('higher_qualification');
    expect(parseEducationLevel('higher qualification')).toBe('higher_qualification');
    expect(parseEducationLevel('высшее')).toBeNull();
  });
});

describe('a row', () => {
  const snils = snilsFor(123_456_789);

  test('cells are trimmed, empty cells are not given, and the row number defaults to the position in the request', () => {
    const row = parseImportRow({ snils: ` ${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9)} `, lastName: '  Сидорова ', firstName: '', patronymic: '   ' }, 4);
    expect(row).toEqual({ rowNumber: 5, snils, person: { lastName: 'Сидорова' }, problems: [] });
    expect(row.employment).toBeUndefined();
    expect(parseImportRow({ rowNumber: 17, snils }, 0).rowNumber).toBe(17);
  });

  test('every cell it cannot read is a problem of that column; the rest is still read', () => {
    const row = parseImportRow({
      snils: '123-456-789 00', birthDate: '31.02.1990', educationLevel: 'высшее', organizationInn: '1234567890', rate: 'полставки',
      isMainJob: 'иногда', staffCategory: 'завхоз', startedOn: '01.09.2020', position: 'учитель',
    }, 0);
    expect(row.problems.map((p) => [p.column, p.reason])).toEqual([
      ['snils', 'has a wrong control number'],
      ['birthDate', 'is not a date (1900–2100): write DD.MM.YYYY or YYYY-MM-DD'],
      ['educationLevel', 'is ambiguous: write высшее – бакалавриат or высшее – специалитет, магистратура'],
      ['organizationInn', 'has a wrong control digit'],
      ['staffCategory', expect.stringMatching(/^is not a staff category/)],
      ['rate', 'is not a number: write 1, 0.5 or 0,5'],
      ['isMainJob', expect.stringMatching(/^is not yes or no/)],
    ]);
    expect(row.problems.every((p) => p.code === 'BAD_USER_INPUT')).toBe(true);
    expect(row.employment).toEqual({ position: 'учитель', startedOn: '2020-09-01' });
  });

  test('a row without SNILS cannot be matched', () => {
    expect(parseImportRow({ lastName: 'Сидорова' }, 0).problems).toEqual([{ column: 'snils', reason: 'is required: rows are matched by SNILS', code: 'BAD_USER_INPUT' }]);
    expect(parseImportRow({ snils: '12345' }, 0).problems).toEqual([{ column: 'snils', reason: 'must have 11 digits', code: 'BAD_USER_INPUT' }]);
  });

  test('any employment cell makes the row carry an employment', () => {
    expect(parseImportRow({ snils, endedOn: '31.05.2025' }, 0).employment).toEqual({ endedOn: '2025-05-31' });
    expect(parseImportRow({ snils, rate: '0,5', isMainJob: 'нет', staffCategory: 'педагогический' }, 0).employment)
      .toEqual({ rate: 0.5, isMainJob: false, staffCategory: 'pedagogical' });
  });
});

describe('a request', () => {
  const municipalityId = '00000000-0000-4000-8000-000000000001';

  test(`more than ${maxImportRows} rows are refused whole`, () => {
    const rows = Array.from({ length: maxImportRows + 1 }, () => ({ snils: snilsFor(123_456_789) }));
    expect(() => parseImportRequest({ municipalityId, rows })).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.rows' }) }));
    expect(parseImportRequest({ municipalityId, rows: rows.slice(1) }).rows).toHaveLength(maxImportRows);
  });

  test('external ids need the name of the system that sent them; a blank source is no source', () => {
    const rows = [{ snils: snilsFor(123_456_789), externalId: '42' }];
    expect(() => parseImportRequest({ municipalityId, rows, source: '  ' })).toThrow(/input.source is required/);
    expect(parseImportRequest({ municipalityId, rows, source: ' 1C ' })).toMatchObject({ source: '1C', dryRun: false });
  });

  test('the municipality must be an id of the graph', () => {
    expect(() => parseImportRequest({ municipalityId: 'Владивосток', rows: [] })).toThrow(/input.municipalityId is not an id/);
  });
});
