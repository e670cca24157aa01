import type { EducatorImportRow } from './generated/graphql';

/**
 * The columns of an educators import file (issue 16): the one definition the command's reader
 * (scripts/lib/spreadsheet.ts), `npm run import -- --columns`, the gateway's template (/import/educators-template.*)
 * and the README's table (checked by services/staff/test/import-columns.test.ts) all come from.
 *
 * `header` is the Russian header the template and the export write; `aliases` are the other headers accepted
 * (compared ignoring case, ё/е, punctuation and repeated spaces); the field's own name (`snils`, `startedOn`) is
 * always accepted too, and it is the name the graph's `EducatorImportRow` and JSON files use.
 */

export type ImportField = Exclude<keyof EducatorImportRow, 'rowNumber'>;

export interface ImportColumnSpec {
  field: ImportField;
  header: string;
  aliases: readonly string[];
  /** What the cell holds, as people write it. */
  format: string;
  /** When the cell must be filled. */
  required: string;
  /** A plausible value, for the template's notes. */
  example: string;
}

const forNewEmployment = 'for a new employment';

/** Every column, in the template's order. */
export const importColumns: readonly ImportColumnSpec[] = [
  { field: 'snils', header: 'СНИЛС', aliases: ['СНИЛС сотрудника', 'Страховой номер', 'Страховой номер индивидуального лицевого счёта'],
    format: '11 digits, with or without separators (112-233-445 95); the control number is checked', required: 'always: rows are matched by SNILS', example: '112-233-445 95' },
  { field: 'lastName', header: 'Фамилия', aliases: ['Last name', 'Surname'], format: 'text', required: 'for a new educator', example: 'Иванова' },
  { field: 'firstName', header: 'Имя', aliases: ['First name'], format: 'text', required: 'for a new educator', example: 'Анна' },
  { field: 'patronymic', header: 'Отчество', aliases: ['Middle name'], format: 'text', required: 'no', example: 'Сергеевна' },
  { field: 'birthDate', header: 'Дата рождения', aliases: ['Birth date', 'Date of birth'], format: 'date: DD.MM.YYYY or YYYY-MM-DD (1900–2100)',
    required: 'for a new educator', example: '17.05.1980' },
  { field: 'email', header: 'Эл. почта', aliases: ['E-mail', 'Email', 'Электронная почта', 'Адрес электронной почты'], format: 'e-mail address',
    required: 'no', example: 'ivanova@school.example' },
  { field: 'phone', header: 'Телефон', aliases: ['Контактный телефон', 'Мобильный телефон', 'Phone'], format: 'phone number', required: 'no', example: '+7 914 123-45-67' },
  { field: 'pedagogicalWorkStartedOn', header: 'Педстаж с',
    aliases: ['Дата начала педагогической деятельности', 'Педагогический стаж с', 'Начало педагогической деятельности'], format: 'date', required: 'no', example: '01.09.2003' },
  { field: 'educationLevel', header: 'Образование', aliases: ['Уровень образования', 'Education', 'Education level'],
    format: 'среднее общее, среднее профессиональное, высшее – бакалавриат, высшее – специалитет, магистратура, высшее – подготовка кадров высшей квалификации',
    required: 'no', example: 'высшее – специалитет, магистратура' },
  { field: 'organizationInn', header: 'ИНН ОО', aliases: ['ИНН организации', 'ИНН образовательной организации', 'ИНН', 'Organization INN'],
    format: '10 digits, an organization of the municipality', required: `${forNewEmployment}: the INN, the code or the name`, example: '2801012347' },
  { field: 'organizationCode', header: 'Код ОО', aliases: ['Код организации', 'Organization code'], format: 'the organization\'s code in the municipality',
    required: `${forNewEmployment}: the INN, the code or the name`, example: '' },
  { field: 'organizationName', header: 'Организация', aliases: ['Наименование ОО', 'Наименование организации', 'Образовательная организация', 'Organization'],
    format: 'the organization\'s full or short name as registered (letters and digits compared: СОШ №5 = «СОШ № 5»); unique in the municipality; beside the INN or code, it must be theirs', required: `${forNewEmployment}: the INN, the code or the name`,
    example: 'МБОУ СОШ № 5' },
  { field: 'position', header: 'Должность', aliases: ['Position'], format: 'text', required: 'whenever a cell of the employment is filled', example: 'учитель' },
  { field: 'staffCategory', header: 'Категория персонала', aliases: ['Категория должности', 'Категория работника', 'Staff category'],
    format: 'педагогический or управленческий', required: forNewEmployment, example: 'педагогический' },
  { field: 'rate', header: 'Ставка', aliases: ['Ставки', 'Размер ставки', 'Количество ставок', 'Rate'], format: 'number: 1, 0.5 or 0,5', required: forNewEmployment, example: '1' },
  { field: 'isMainJob', header: 'Основное место работы', aliases: ['Основное', 'Вид занятости', 'Характер работы', 'Main job'],
    format: 'да / нет (основное / совместительство)', required: forNewEmployment, example: 'да' },
  { field: 'startedOn', header: 'Дата приёма', aliases: ['Дата приема на работу', 'Дата начала работы', 'Started on', 'Start date'], format: 'date',
    required: 'whenever a cell of the employment is filled', example: '01.09.2010' },
  { field: 'endedOn', header: 'Дата увольнения', aliases: ['Дата окончания работы', 'Ended on', 'End date'], format: 'date', required: 'no', example: '' },
  { field: 'externalId', header: 'Внешний id', aliases: ['Внешний идентификатор', 'Идентификатор во внешней системе', 'External id'],
    format: 'the sending system\'s id of the person (kept per --source)', required: 'no (needs --source)', example: '' },
];

/** One column holding the whole name, "Иванова Анна Сергеевна": split into last name, first name and patronymic. */
export const fullNameHeaders: readonly string[] = ['ФИО', 'Ф.И.О.', 'Фамилия Имя Отчество', 'Full name'];

/** Row numbers of the sender's own: neither imported nor warned about. */
export const rowNumberHeaders: readonly string[] = ['№', '№ п/п', 'п/п', 'N', 'No', '#', 'Row', 'rowNumber'];

/** Columns of the educators export (gateway/src/export.ts) that are derived or recorded otherwise: skipped with a note, so an export imports back. */
export const exportOnlyHeaders: readonly string[] = ['Молодой специалист', 'До 35 лет', 'Категория', 'Категория действует до', 'Муниципалитет', 'Идентификатор'];

/** The spec of a field. */
export const columnOf = (field: ImportField): ImportColumnSpec => importColumns.find((column) => column.field === field)!;

const escapeCell = (text: string) => text.replaceAll('|', '\\|');

/** The README's table (between the `import-columns` markers), exactly. */
export function importColumnsMarkdown(): string {
  const lines = [
    '| Header | Also accepted | Field (JSON, GraphQL) | Format | Required |',
    '| --- | --- | --- | --- | --- |',
    ...importColumns.map((c) => `| ${[c.header, c.aliases.join(', '), `\`${c.field}\``, c.format, c.required].map(escapeCell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** The same as plain text for a terminal (`npm run import -- --columns`). */
export function importColumnsText(): string {
  const blocks = importColumns.map((c) => [
    `${c.header}  (${c.field})`,
    `  also: ${c.aliases.join(', ')}`,
    `  format: ${c.format}`,
    `  required: ${c.required}`,
  ].join('\n'));
  return [
    'Columns of an educators import file (headers compared ignoring case, ё/е and punctuation; the field name works too):',
    '',
    ...blocks,
    '',
    `A whole name in one column: ${fullNameHeaders.join(', ')}. Skipped: row numbers (${rowNumberHeaders.slice(0, 3).join(', ')}) and the export's derived columns (${exportOnlyHeaders.join(', ')}).`,
  ].join('\n');
}
