import { employmentConflict, isEmploymentActive } from '../src/rules';
import type { EmploymentRow } from '../src/store/employments';
import { addYears } from '@mms/platform';
import {
  formatSnils, innFor, isIanaTimeZone, isValidOrganizationInn, isValidSnils, normalizeSnils, snilsFor,
} from '../src/validate';

/** The input rules as plain functions, without a server or a database. Control numbers below were computed by hand. */

describe('SNILS', () => {
  test('real card numbers pass, written with or without separators', () => {
    // 1·9 + 1·8 + 2·7 + 2·6 + 3·5 + 3·4 + 4·3 + 4·2 + 5·1 = 95
    expect(isValidSnils('112-233-445 95')).toBe(true);
    expect(isValidSnils('11223344595')).toBe(true);
    expect(isValidSnils('112 233 445 95')).toBe(true);
    // 165 mod 101 = 64: the example of the schema's description
    expect(isValidSnils('123-456-789 64')).toBe(true);
  });

  test('a number with a wrong control number is refused', () => {
    expect(isValidSnils('112-233-445 96')).toBe(false);
    expect(isValidSnils('112-233-445 59')).toBe(false);
    expect(isValidSnils('123-456-789 65')).toBe(false);
    // a typo in the number itself
    expect(isValidSnils('112-233-446 95')).toBe(false);
  });

  test('anything but 11 digits is refused', () => {
    for (const value of ['', '1122334459', '112233445951', '112-233-445 9', 'abc-def-ghi jk', '112-233-445 9a', '112_233_445_95']) {
      expect(isValidSnils(value)).toBe(false);
    }
  });

  test('a sum below 100 is the control number itself', () => {
    // 1·7 + 2·6 + 3·5 + 9·4 + 5·3 + 7·2 + 0·1 = 99
    expect(isValidSnils('001-239-570 99')).toBe(true);
    expect(isValidSnils('001-239-570 00')).toBe(false);
  });

  test('a sum of 100 or 101 gives 00', () => {
    // 1·7 + 3·6 + 2·5 + 6·4 + 6·3 + 7·2 + 9·1 = 100
    expect(isValidSnils('001-326-679 00')).toBe(true);
    expect(isValidSnils('001-326-679 10')).toBe(false);
    // 1·7 + 5·6 + 0·5 + 8·4 + 8·3 + 1·2 + 6·1 = 101
    expect(isValidSnils('001-508-816 00')).toBe(true);
    expect(isValidSnils('001-508-816 01')).toBe(false);
  });

  test('a sum above 101 is taken mod 101, and a remainder of 100 gives 00', () => {
    // 1·7 + 4·6 + 3·5 + 7·4 + 5·3 + 4·2 + 5·1 = 102 → 01
    expect(isValidSnils('001-437-545 01')).toBe(true);
    expect(isValidSnils('001-437-545 02')).toBe(false);
    expect(isValidSnils('001-437-545 00')).toBe(false);
    // 1·8 + 7·7 + 9·6 + 9·5 + 6·4 + 1·3 + 7·2 + 4·1 = 201 → 100 → 00
    expect(isValidSnils('017-996-174 00')).toBe(true);
    expect(isValidSnils('017-996-174 99')).toBe(false);
  });

  test('numbers up to 001-001-998, issued before the rule, are not checked', () => {
    expect(isValidSnils('001-001-998 00')).toBe(true);
    expect(isValidSnils('001-001-998 57')).toBe(true);
    expect(isValidSnils('000-000-001 99')).toBe(true);
    // the first checked number: 1·7 + 1·4 + 9·3 + 9·2 + 9·1 = 65
    expect(isValidSnils('001-001-999 65')).toBe(true);
    expect(isValidSnils('001-001-999 00')).toBe(false);
  });

  test('snilsFor makes valid numbers across the whole range, and they are found again once formatted', () => {
    const numbers = [1002000, 1239570, 1326679, 1508816, 1437545, 17996174, 999999999];
    for (let n = 1002000; n < 1e9; n += 9_876_543) numbers.push(n);
    for (let n = 112233000; n < 112234000; n += 1) numbers.push(n);
    for (const n of numbers) {
      const snils = snilsFor(n);
      expect(snils).toMatch(/^\d{11}$/);
      expect(snils.slice(0, 9)).toBe(String(n).padStart(9, '0'));
      expect(isValidSnils(snils)).toBe(true);
      expect(isValidSnils(formatSnils(snils))).toBe(true);
      expect(normalizeSnils(formatSnils(snils))).toBe(snils);
    }
    expect(snilsFor(112233445)).toBe('11223344595');
    expect(snilsFor(1326679)).toBe('00132667900');
    expect(snilsFor(17996174)).toBe('01799617400');
    expect(snilsFor(1437545)).toBe('00143754501');
  });

  test('only one control number of the hundred is valid for a checked number', () => {
    for (const n of [1002000, 112233445, 17996174, 999999999]) {
      const base = String(n).padStart(9, '0');
      const valid = Array.from({ length: 100 }, (_, c) => `${base}${String(c).padStart(2, '0')}`).filter(isValidSnils);
      expect(valid).toEqual([snilsFor(n)]);
    }
  });

  test('SNILS is written 123-456-789 64 and read back without separators', () => {
    expect(formatSnils('11223344595')).toBe('112-233-445 95');
    expect(formatSnils('00132667900')).toBe('001-326-679 00');
    expect(normalizeSnils('112-233-445 95')).toBe('11223344595');
    expect(normalizeSnils(' 112 233 445-95 ')).toBe('11223344595');
    expect(normalizeSnils('11223344595')).toBe('11223344595');
  });
});

describe('INN of an organization', () => {
  test('real legal entities pass', () => {
    expect(isValidOrganizationInn('7707083893')).toBe(true); // Sberbank
    expect(isValidOrganizationInn('7736050003')).toBe(true); // Gazprom
    expect(isValidOrganizationInn('7736207543')).toBe(true); // Yandex
  });

  test('a wrong control digit is refused', () => {
    for (let digit = 0; digit <= 9; digit += 1) {
      if (digit !== 3) expect(isValidOrganizationInn(`770708389${digit}`)).toBe(false);
    }
    // two digits swapped
    expect(isValidOrganizationInn('7770083893')).toBe(false);
  });

  test('a remainder of 10 gives control digit 0', () => {
    // 1·2 + 1·8 = 10 → 10 mod 11 = 10 → 0
    expect(isValidOrganizationInn('1000000010')).toBe(true);
    expect(isValidOrganizationInn('1000000011')).toBe(false);
  });

  test('anything but 10 digits is refused, including a person\'s 12-digit INN', () => {
    for (const value of ['', '770708389', '77070838930', '500100732259', '770708389a', ' 7707083893', '7707-083893']) {
      expect(isValidOrganizationInn(value)).toBe(false);
    }
  });

  test('innFor makes valid INNs that keep the given number', () => {
    for (let n = 0; n < 1e9; n += 7_654_321) {
      const inn = innFor(n);
      expect(inn).toMatch(/^\d{10}$/);
      expect(inn.slice(0, 9)).toBe(String(n).padStart(9, '0'));
      expect(isValidOrganizationInn(inn)).toBe(true);
    }
    expect(innFor(770708389)).toBe('7707083893');
    expect(innFor(100000001)).toBe('1000000010');
  });
});

describe('addYears', () => {
  test('adds whole years to a calendar day', () => {
    expect(addYears('1990-05-17', 14)).toBe('2004-05-17');
    expect(addYears('2000-01-01', 14)).toBe('2014-01-01');
    expect(addYears('1999-12-31', 1)).toBe('2000-12-31');
  });

  test('29 February lands on 28 February in a common year and stays in a leap year', () => {
    expect(addYears('2004-02-29', 14)).toBe('2018-02-28');
    expect(addYears('2004-02-29', 1)).toBe('2005-02-28');
    expect(addYears('2004-02-29', 4)).toBe('2008-02-29');
    expect(addYears('2000-02-29', 100)).toBe('2100-02-28'); // 2100 is not a leap year
    expect(addYears('2003-02-28', 1)).toBe('2004-02-28');
    expect(addYears('2003-03-01', 1)).toBe('2004-03-01');
  });
});

describe('employmentConflict', () => {
  const row = (overrides: Partial<EmploymentRow>): EmploymentRow => ({
    id: 'e1', educatorId: 'ed', organizationId: 'school', position: 'учитель', staffCategory: 'pedagogical', rate: 1,
    isMainJob: true, startedOn: '2020-09-01', endedOn: null, ...overrides,
  });

  test('with nothing overlapping anything goes', () => {
    expect(employmentConflict([], { organizationId: 'school', position: 'учитель', isMainJob: true })).toBeNull();
  });

  test('a second main job is refused while a part-time one is fine', () => {
    const overlapping = [row({})];
    expect(employmentConflict(overlapping, { organizationId: 'other', position: 'учитель', isMainJob: true }))
      .toMatch(/main job.*2020-09-01.*part-time/);
    expect(employmentConflict(overlapping, { organizationId: 'other', position: 'учитель', isMainJob: false })).toBeNull();
  });

  test('a main job beside a part-time one is fine', () => {
    expect(employmentConflict([row({ isMainJob: false })], { organizationId: 'other', position: 'учитель', isMainJob: true })).toBeNull();
  });

  test('the same position in the same organization is refused, part-time or not, whatever the case and spaces', () => {
    const overlapping = [row({ endedOn: '2024-06-30' })];
    for (const position of ['учитель', 'Учитель', ' УЧИТЕЛЬ ']) {
      expect(employmentConflict(overlapping, { organizationId: 'school', position, isMainJob: false }))
        .toBe('the educator already holds this position here from 2020-09-01 to 2024-06-30');
    }
    expect(employmentConflict([row({})], { organizationId: 'school', position: 'учитель', isMainJob: false }))
      .toBe('the educator already holds this position here from 2020-09-01');
  });

  test('another position in the same organization, or the same position elsewhere, is fine as part-time', () => {
    const overlapping = [row({})];
    expect(employmentConflict(overlapping, { organizationId: 'school', position: 'педагог-психолог', isMainJob: false })).toBeNull();
    expect(employmentConflict(overlapping, { organizationId: 'other', position: 'учитель', isMainJob: false })).toBeNull();
  });
});

describe('isEmploymentActive', () => {
  test('an employment is in force from its first day to its last, both included', () => {
    const employment = { startedOn: '2020-09-01', endedOn: '2021-05-31' };
    expect(isEmploymentActive(employment, '2020-08-31')).toBe(false);
    expect(isEmploymentActive(employment, '2020-09-01')).toBe(true);
    expect(isEmploymentActive(employment, '2021-01-15')).toBe(true);
    expect(isEmploymentActive(employment, '2021-05-31')).toBe(true);
    expect(isEmploymentActive(employment, '2021-06-01')).toBe(false);
  });

  test('an open employment lasts from its first day on', () => {
    const employment = { startedOn: '2020-09-01', endedOn: null };
    expect(isEmploymentActive(employment, '2020-08-31')).toBe(false);
    expect(isEmploymentActive(employment, '2020-09-01')).toBe(true);
    expect(isEmploymentActive(employment, '2999-12-31')).toBe(true);
  });

  test('a one-day employment is in force on that day only', () => {
    const employment = { startedOn: '2022-03-01', endedOn: '2022-03-01' };
    expect(isEmploymentActive(employment, '2022-02-28')).toBe(false);
    expect(isEmploymentActive(employment, '2022-03-01')).toBe(true);
    expect(isEmploymentActive(employment, '2022-03-02')).toBe(false);
  });
});

describe('isIanaTimeZone', () => {
  test('IANA zones of the regions pass', () => {
    for (const zone of ['Europe/Moscow', 'Europe/Kaliningrad', 'Asia/Yekaterinburg', 'Asia/Vladivostok', 'Asia/Kamchatka', 'UTC']) {
      expect(isIanaTimeZone(zone)).toBe(true);
    }
  });

  test('unknown zones, abbreviations and offsets are refused', () => {
    for (const zone of ['', 'Mars/Olympus', 'Europe/Atlantis', 'MSK', 'EST', '+03:00', 'UTC+3', 'Moscow']) {
      expect(isIanaTimeZone(zone)).toBe(false);
    }
  });
});
