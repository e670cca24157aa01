/**
 * The educators import template (issue 16): `GET /import/educators-template.xlsx` and `GET /import/educators-template.csv`.
 *
 * Headers only, in Russian, in the order of services/staff/src/import-columns.ts (the one definition the command's
 * reader and the README's table come from). No example row in the data, so that a template filled in below its
 * example cannot import a made-up person: the XLSX's second sheet, «Пояснения», gives each column's other accepted
 * names, field name, format, when it is required and an example (the reader takes the first sheet only). The SNILS,
 * INN and code columns are formatted as text, so that Excel keeps their leading zeros.
 *
 * Public (no token): the template holds no data of anyone, costs a few milliseconds, and is meant to be linked from
 * instructions a municipality's clerk reads before they have a token. Cacheable for an hour.
 */
import ExcelJS from 'exceljs';
import express, { type Router } from 'express';
import { importColumns } from '@mms/staff/src/import-columns';
import { csvLine } from './export';

const textFields = new Set(['snils', 'organizationInn', 'organizationCode', 'externalId', 'phone']);

/** The template workbook (the data sheet and the notes). */
export async function educatorsTemplateXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Педагоги', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = importColumns.map((column) => ({
    header: column.header, key: column.field, width: Math.max(12, column.header.length + 4),
    style: textFields.has(column.field) ? { numFmt: '@' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  const notes = workbook.addWorksheet('Пояснения');
  notes.columns = [
    { header: 'Заголовок', width: 26 }, { header: 'Также принимается', width: 40 }, { header: 'Поле', width: 24 },
    { header: 'Формат', width: 50 }, { header: 'Обязательно', width: 36 }, { header: 'Пример', width: 24 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const column of importColumns) {
    notes.addRow([column.header, column.aliases.join(', '), column.field, column.format, column.required, column.example]);
  }
  notes.addRow([]);
  notes.addRow(['Данные — на первом листе, одна строка на место работы; этот лист не импортируется. Проверка: npm run import -- файл --dry-run']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The template as CSV: a BOM, the header line, `;`-separated, CRLF (as the export writes). */
export function educatorsTemplateCsv(): string {
  return `\uFEFF${csvLine(importColumns.map((column) => column.header))}`;
}

/** The template routes, mounted at `/import`. */
export function importTemplateRouter(): Router {
  const router = express.Router();
  let xlsx: Promise<Buffer> | undefined;
  const headers = (res: express.Response, type: string, extension: string) => {
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Disposition',
      `attachment; filename="educators-template.${extension}"; filename*=UTF-8''${encodeURIComponent(`педагоги-шаблон.${extension}`)}`);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.setHeader('X-Content-Type-Options', 'nosniff');
  };
  router.get('/educators-template.xlsx', async (_req, res, next) => {
    try {
      xlsx ??= educatorsTemplateXlsx();
      const bytes = await xlsx;
      headers(res, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx');
      res.send(bytes);
    } catch (error) {
      xlsx = undefined;
      next(error);
    }
  });
  router.get('/educators-template.csv', (_req, res) => {
    headers(res, 'text/csv; charset=utf-8; header=present', 'csv');
    res.send(educatorsTemplateCsv());
  });
  return router;
}
