import ExcelJS from 'exceljs';
import { contentMatches } from '../src/materials/files';
import { transitionProblem, weightedScore } from '../src/practices/rules';

/** The rules of issue 19 without a database: the lifecycle's order, the weighted score, the file signature table. */

test('a practice moves one stage forward at a time, or is declined before it is recommended', () => {
  expect(transitionProblem('submitted', 'under_study')).toBeNull();
  expect(transitionProblem('under_study', 'generalised')).toBeNull();
  expect(transitionProblem('generalised', 'recommended')).toBeNull();
  expect(transitionProblem('submitted', 'declined')).toBeNull();
  expect(transitionProblem('generalised', 'declined')).toBeNull();
  expect(transitionProblem('submitted', 'generalised')).toMatch(/one stage at a time/);
  expect(transitionProblem('submitted', 'recommended')).toMatch(/one stage at a time/);
  expect(transitionProblem('generalised', 'under_study')).toMatch(/never moves back/);
  expect(transitionProblem('under_study', 'under_study')).toMatch(/never moves back/);
  expect(transitionProblem('recommended', 'declined')).toMatch(/moves no more/);
  expect(transitionProblem('declined', 'under_study')).toMatch(/moves no more/);
});

test('the weighted score: per reviewer Σ weight·score/max ÷ Σ weight, averaged over those who scored every criterion', () => {
  const criteria = [{ id: 'a', weight: 2, maxScore: 10 }, { id: 'b', weight: 1, maxScore: 5 }];
  expect(weightedScore(criteria, [])).toBeNull();
  expect(weightedScore(criteria, [{ reviewerId: 'r1', criterionId: 'a', score: 10 }])).toBeNull();
  expect(weightedScore(criteria, [
    { reviewerId: 'r1', criterionId: 'a', score: 10 }, { reviewerId: 'r1', criterionId: 'b', score: 5 },
    { reviewerId: 'r2', criterionId: 'a', score: 5 }, { reviewerId: 'r2', criterionId: 'b', score: 5 },
    { reviewerId: 'r3', criterionId: 'a', score: 0 },
  ])).toBe(83.33);
});

test('file contents are checked against the declared type by signature', async () => {
  const pdf = Buffer.from('%PDF-1.7\n...', 'latin1');
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Лист1').addRow(['ok']);
  const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
  expect(contentMatches('application/pdf', pdf)).toBe(true);
  expect(contentMatches('image/png', png)).toBe(true);
  expect(contentMatches('image/jpeg', jpeg)).toBe(true);
  expect(contentMatches('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', xlsx)).toBe(true);
  // a spreadsheet is a ZIP but not a Word document; a PNG is not a PDF; an unknown type is never taken
  expect(contentMatches('application/vnd.openxmlformats-officedocument.wordprocessingml.document', xlsx)).toBe(false);
  expect(contentMatches('application/pdf', png)).toBe(false);
  expect(contentMatches('image/jpeg', pdf)).toBe(false);
  expect(contentMatches('text/html', Buffer.from('<html>'))).toBe(false);
  expect(contentMatches('application/pdf', Buffer.alloc(0))).toBe(false);
});
