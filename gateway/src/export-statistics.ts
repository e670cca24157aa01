/**
 * Export of a statistics answer (issue 22): `GET /export/statistics.xlsx`, the dashboard builder's XLSX download.
 *
 *   ?subject=EDUCATORS                         the subject (StatisticsSubject), required
 *   &measures=EDUCATORS,SHARE                   the measures (StatisticsMeasure), comma-separated, required
 *   &groupBy=MUNICIPALITY,CATEGORY              the dimensions (StatisticsDimension), comma-separated; none: the total
 *   &academicYear=2024/2025 | &on=2025-09-01    the period; the current academic year (Europe/Moscow) when neither
 *   &municipalityId=… | &organizationId=…       the scope; the caller's own scope when neither is given
 *
 * As the indicator export (export-indicators.ts), the answer is read through the gateway itself with the caller's
 * token (Authorization: Bearer, as the dashboard sends it) by one `statistics` query: the indicators subgraph checks
 * the scope, the combination and small-cell protection; nothing here decides who sees what.
 *
 * The file: a sheet «Статистика», one row per group, then «Итого»; per grouped dimension two columns, its label and
 * its value (an id, HIGHEST, true…), then one column per measure (numbers as numbers; SHARE with its denominator),
 * then «Скрыто» (Да for a suppressed group, whose measures are empty). A bold frozen header with a filter.
 * Refusals are GraphQL-style JSON with the HTTP status of the graph's error code (401, 400, 403), before any byte of
 * the file.
 */
import ExcelJS from 'exceljs';
import express, { type Request, type Response, type Router } from 'express';
import { academicYearOf, logger, requestIdHeader, today } from '@mms/platform';
import { attachment } from './export';
import { Refusal, refusal, runOperation, sendRefusal, signedInContext, statusOf, type GraphRouteOptions } from './graph-routes';

const query = `query ExportStatistics($subject: StatisticsSubject!, $measures: [StatisticsMeasure!]!, $groupBy: [StatisticsDimension!]!,
  $scope: IndicatorScopeInput, $academicYear: AcademicYear, $on: Date) {
  statistics(subject: $subject, measures: $measures, groupBy: $groupBy, scope: $scope, academicYear: $academicYear, on: $on) {
    ...Answer
  }
}
fragment Answer on Statistics {
  subject measures groupBy smallCellThreshold suppressedCount
  rows { values labels count educators share denominator sum average isSuppressed }
  total { count educators share denominator sum average isSuppressed }
}`;

type MeasureName = 'COUNT' | 'EDUCATORS' | 'SHARE' | 'SUM' | 'AVERAGE';

interface ExportedRow {
  values?: (string | null)[];
  labels?: (string | null)[];
  count: number | null;
  educators: number | null;
  share: number | null;
  denominator: number | null;
  sum: number | null;
  average: number | null;
  isSuppressed: boolean;
}

interface ExportedStatistics {
  subject: string;
  measures: MeasureName[];
  groupBy: string[];
  smallCellThreshold: number | null;
  suppressedCount: number;
  rows: ExportedRow[];
  total: ExportedRow;
}

/** Column titles, in Russian as the dashboard shows them. */
export const dimensionTitles: Record<string, string> = {
  REGION: 'Регион', MUNICIPALITY: 'Муниципалитет', ORGANIZATION: 'Организация', ORGANIZATION_KIND: 'Тип организации',
  POSITION: 'Должность', STAFF_CATEGORY: 'Категория персонала', CATEGORY: 'Квалификационная категория', AGE_BAND: 'Возраст',
  EXPERIENCE_BAND: 'Педстаж', EARLY_CAREER: 'Молодой специалист', UNDER_35: 'До 35 лет', COMPETENCY: 'Компетенция',
  PROGRAM_KIND: 'Вид программы', FEDERAL_REGISTRY: 'Федеральный реестр', EVENT_KIND: 'Вид мероприятия', EVENT_LEVEL: 'Уровень',
  ROLE: 'Роль', FORM: 'Форма', STATUS: 'Статус', MONTH: 'Месяц', ACADEMIC_YEAR: 'Учебный год', OUTCOME: 'Итог',
  FINAL_STAGE: 'Финальный этап', REQUEST_KIND: 'Вид обращения', REQUESTER_KIND: 'Заявитель',
};
export const measureTitles: Record<MeasureName, string> = {
  COUNT: 'Число записей', EDUCATORS: 'Число педагогов', SHARE: 'Доля педагогов, %', SUM: 'Сумма', AVERAGE: 'Среднее',
};
const measureField: Record<MeasureName, keyof ExportedRow> = { COUNT: 'count', EDUCATORS: 'educators', SHARE: 'share', SUM: 'sum', AVERAGE: 'average' };

/** The sheet's header: label and value columns per dimension, the measures (SHARE with its denominator), «Скрыто». */
export function statisticsHeader(answer: Pick<ExportedStatistics, 'groupBy' | 'measures'>): string[] {
  const header: string[] = [];
  for (const dimension of answer.groupBy) header.push(dimensionTitles[dimension] ?? dimension, `${dimension} (значение)`);
  for (const measure of answer.measures) {
    header.push(measureTitles[measure]);
    if (measure === 'SHARE') header.push('Знаменатель');
  }
  header.push('Скрыто');
  return header;
}

function sheetRow(answer: ExportedStatistics, row: ExportedRow, isTotal: boolean): (string | number | null)[] {
  const cells: (string | number | null)[] = [];
  answer.groupBy.forEach((_, i) => {
    if (isTotal) cells.push(i === 0 ? 'Итого' : null, null);
    else cells.push(row.labels?.[i] ?? null, row.values?.[i] ?? null);
  });
  for (const measure of answer.measures) {
    cells.push(row[measureField[measure]] as number | null);
    if (measure === 'SHARE') cells.push(row.denominator);
  }
  cells.push(row.isSuppressed ? 'Да' : 'Нет');
  return cells;
}

async function statisticsWorkbook(answer: ExportedStatistics, period: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Статистика', { views: [{ state: 'frozen', ySplit: 1 }] });
  const header = statisticsHeader(answer);
  sheet.columns = header.map((title) => ({ width: Math.max(12, Math.min(40, title.length + 4)) }));
  sheet.addRow(header).font = { bold: true };
  for (const row of answer.rows) sheet.addRow(sheetRow(answer, row, false));
  const total = sheet.addRow(answer.groupBy.length ? sheetRow(answer, answer.total, true) : ['Итого', ...sheetRow(answer, answer.total, true)]);
  total.font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: header.length } };
  workbook.title = `Статистика: ${answer.subject}, ${period}`;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function single(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw refusal(400, 'BAD_USER_INPUT', `${name} must be given once`, { field: name });
  return value;
}

const list = (value: string | undefined) => (value ? value.split(',').map((v) => v.trim()).filter(Boolean) : []);

/** The route `/statistics.xlsx`, mounted at `/export` next to the other exports. */
export function statisticsExportRouter(options: GraphRouteOptions): Router {
  const router = express.Router();
  router.get('/statistics.xlsx', async (req: Request, res: Response) => {
    try {
      const contextValue = await signedInContext(options, req, res, 'export');
      const subject = single(req, 'subject');
      if (!subject) throw refusal(400, 'BAD_USER_INPUT', 'give subject', { field: 'subject' });
      const measures = list(single(req, 'measures'));
      if (!measures.length) throw refusal(400, 'BAD_USER_INPUT', 'give measures (comma-separated)', { field: 'measures' });
      const groupBy = list(single(req, 'groupBy'));
      const municipalityId = single(req, 'municipalityId');
      const organizationId = single(req, 'organizationId');
      if (municipalityId && organizationId) throw refusal(400, 'BAD_USER_INPUT', 'give municipalityId or organizationId, not both', { field: 'organizationId' });
      const on = single(req, 'on');
      const academicYear = single(req, 'academicYear') ?? (on ? undefined : academicYearOf(today()));
      if (on && academicYear) throw refusal(400, 'BAD_USER_INPUT', 'give academicYear or on, not both', { field: 'on' });
      const scope = organizationId ? { organizationId } : municipalityId ? { municipalityId } : undefined;

      // Enum names that are not the schema's are refused by the graph's own validation (400 BAD_USER_INPUT below).
      const { data, errors } = await runOperation<{ statistics: ExportedStatistics }>(options.server, contextValue,
        { query, variables: { subject, measures, groupBy, scope, academicYear, on }, operationName: 'ExportStatistics' });
      if (errors.length || !data) throw new Refusal(statusOf(errors[0]?.extensions?.code), errors.slice(0, 10));

      const period = on ?? academicYear!;
      const body = await statisticsWorkbook(data.statistics, period);
      const name = `statistics-${subject.toLowerCase()}-${period.replace('/', '-')}`;
      res.status(200);
      res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', attachment(name, `статистика-${period.replace('/', '-')}`, 'xlsx'));
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.end(body);
      contextValue.log.info({ rows: data.statistics.rows.length, subject }, 'statistics exported');
    } catch (error) {
      if (error instanceof Refusal) {
        sendRefusal(res, error);
        return;
      }
      logger.error({ err: error, requestId: res.getHeader(requestIdHeader), service: 'gateway' }, 'statistics export failed');
      res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
  });
  return router;
}
