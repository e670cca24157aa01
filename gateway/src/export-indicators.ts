/**
 * Export of the indicator table (issue 7): `GET /export/indicators.csv` and `GET /export/indicators.xlsx`.
 *
 *   ?academicYear=2024/2025        the academic year; the current one (Europe/Moscow) when not given
 *   &municipalityId=… | &organizationId=…   the scope; the whole region when neither is given
 *   &breakdown=0                   leave out the child scopes' rows (municipalities of the region, organizations of a
 *                                  municipality), which are included by default
 *
 * As the educator export (export.ts), the table is read through the gateway itself, with the caller's token and the
 * context the GraphQL route builds, by one `indicatorValues` query: the indicators subgraph checks the scope (a
 * municipality's methodist gets their municipality only), nothing here decides who sees what.
 *
 * The file: one row per indicator and territory, the scope's own row first and its child scopes' after it, in the
 * catalog's order; columns Территория, №, Показатель, Единица, Числитель, Знаменатель, Значение, Значение (да/нет),
 * Целевое значение, Целевое значение (да/нет), Цель достигнута, Примечание (why a value is empty). A yes/no
 * indicator's value and target are in the (да/нет) columns, a numeric one's in the others (issue 17: a column holds
 * numbers or Да/Нет, never both), so a spreadsheet sums and charts the numeric columns as they are.
 * CSV as export.ts writes it (its helpers): UTF-8 with a BOM, named `….utf8.csv`, `;`-separated, CRLF, decimals with a
 * comma. XLSX: the same rows on a sheet «Показатели», numbers as numbers, a bold frozen header with a filter.
 * Refusals are GraphQL-style JSON with the HTTP status of the graph's error code (401, 400, 403, 404), before any
 * byte of the file.
 */
import ExcelJS from 'exceljs';
import express, { type Request, type Response, type Router } from 'express';
import { academicYearOf, logger, requestIdHeader, today } from '@mms/platform';
import { attachment, csvLine, type CellValue } from './export';
import { Refusal, refusal, runOperation, sendRefusal, signedInContext, statusOf, type GraphRouteOptions } from './graph-routes';

const query = `query ExportIndicators($scope: IndicatorScopeInput!, $academicYear: AcademicYear!, $breakdown: Boolean!) {
  indicatorValues(scope: $scope, academicYear: $academicYear) {
    ...Row
    breakdown @include(if: $breakdown) { ...Row }
  }
}
fragment Row on IndicatorValue {
  indicator { number title kind }
  scope { kind municipality { name } organization { name shortName } }
  unit numerator denominator value isYes target isTargetMet reasonText
}`;

interface ExportedValue {
  indicator: { number: number; title: string; kind: string };
  scope: { kind: string; municipality: { name: string } | null; organization: { name: string; shortName: string | null } | null };
  unit: string | null;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  isYes: boolean | null;
  target: number | null;
  isTargetMet: boolean | null;
  reasonText: string | null;
  breakdown?: ExportedValue[];
}

export const indicatorHeader = ['Территория', '№', 'Показатель', 'Единица', 'Числитель', 'Знаменатель', 'Значение',
  'Значение (да/нет)', 'Целевое значение', 'Целевое значение (да/нет)', 'Цель достигнута', 'Примечание'];
/** XLSX column widths, in characters, in the header's order. */
const widths = [24, 5, 60, 10, 11, 12, 10, 10, 12, 12, 10, 40];

const yesNo = (value: boolean | null) => (value === null ? null : value ? 'Да' : 'Нет');

function territory(scope: ExportedValue['scope']): string {
  if (scope.kind === 'ORGANIZATION') return scope.organization?.shortName || scope.organization?.name || '';
  if (scope.kind === 'MUNICIPALITY') return scope.municipality?.name ?? '';
  return 'Регион';
}

/** One row of the file: a yes/no indicator's value and target in the (да/нет) columns, a numeric one's in the others. */
export function indicatorRow(row: ExportedValue): CellValue[] {
  const isYesNo = row.indicator.kind === 'YES_NO';
  return [territory(row.scope), row.indicator.number, row.indicator.title, row.unit, row.numerator, row.denominator,
    isYesNo ? null : row.value, isYesNo ? yesNo(row.isYes) : null,
    isYesNo ? null : row.target, isYesNo && row.target !== null ? yesNo(row.target === 1) : null,
    yesNo(row.isTargetMet), row.reasonText];
}

/** The table as an XLSX workbook: one sheet, numbers as numbers. */
async function indicatorWorkbook(rows: CellValue[][], academicYear: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Показатели', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = widths.map((width) => ({ width }));
  const header = sheet.addRow(indicatorHeader);
  header.font = { bold: true };
  for (const row of rows) sheet.addRow(row.map((value) => (value !== null && typeof value === 'object' ? value.day : value)));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: indicatorHeader.length } };
  workbook.title = `Показатели эффективности, ${academicYear} учебный год`;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function single(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw refusal(400, 'BAD_USER_INPUT', `${name} must be given once`, { field: name });
  return value;
}

/** The routes `/indicators.csv` and `/indicators.xlsx`, mounted at `/export` next to the educator export. */
export function indicatorExportRouter(options: GraphRouteOptions): Router {
  const router = express.Router();
  const handle = (format: 'csv' | 'xlsx') => async (req: Request, res: Response) => {
    try {
      const contextValue = await signedInContext(options, req, res, 'export');
      const municipalityId = single(req, 'municipalityId');
      const organizationId = single(req, 'organizationId');
      if (municipalityId && organizationId) throw refusal(400, 'BAD_USER_INPUT', 'give municipalityId or organizationId, not both', { field: 'organizationId' });
      const academicYear = single(req, 'academicYear') ?? academicYearOf(today());
      const breakdown = single(req, 'breakdown') !== '0' && single(req, 'breakdown') !== 'false';
      const scope = organizationId ? { organizationId } : municipalityId ? { municipalityId } : { region: true };

      const { data, errors } = await runOperation<{ indicatorValues: ExportedValue[] }>(options.server, contextValue,
        { query, variables: { scope, academicYear, breakdown }, operationName: 'ExportIndicators' });
      if (errors.length || !data) throw new Refusal(statusOf(errors[0]?.extensions?.code), errors.slice(0, 10));

      const rows: CellValue[][] = [];
      for (const value of data.indicatorValues) {
        rows.push(indicatorRow(value));
        for (const child of value.breakdown ?? []) rows.push(indicatorRow(child));
      }
      const name = academicYear.replace('/', '-');
      const body = format === 'csv' ? `\uFEFF${[indicatorHeader, ...rows].map(csvLine).join('')}` : await indicatorWorkbook(rows, academicYear);
      res.status(200);
      res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', attachment(`indicators-${name}`, `показатели-${name}`, format));
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.end(body);
      contextValue.log.info({ rows: rows.length, format }, 'indicators exported');
    } catch (error) {
      if (error instanceof Refusal) {
        sendRefusal(res, error);
        return;
      }
      logger.error({ err: error, requestId: res.getHeader(requestIdHeader), service: 'gateway' }, 'indicator export failed');
      res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
  };
  router.get('/indicators.csv', handle('csv'));
  router.get('/indicators.xlsx', handle('xlsx'));
  return router;
}
