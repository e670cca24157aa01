import fs from 'node:fs';
import path from 'node:path';

/**
 * The documents stay true to the repository: every relative Markdown link and every cited `*.md` path in README.md,
 * docs/*.md, services/<name>/README.md and bench/README.md names a file that exists here, and docs/coverage.md keeps
 * every regulation row 1–160 with a counts line that matches its verdicts. No database is used.
 */
const root = path.resolve(__dirname, '..');

function documents(): string[] {
  const docs = fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f));
  const services = fs.readdirSync(path.join(root, 'services'))
    .map((name) => path.join('services', name, 'README.md'))
    .filter((file) => fs.existsSync(path.join(root, file)));
  return ['README.md', path.join('bench', 'README.md'), ...docs, ...services].sort();
}

/** URLs, blanked out before looking for paths, so a `…/README.md` inside an address is not taken for a file here. */
const urlPattern = /\b[a-z][a-z0-9+.-]*:\/\/[^\s)>\]`'"]+/gi;
/** `[text](target)` and `![alt](target)`; the target may be `<…>` and be followed by a title. */
const linkPattern = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
/** A path ending in `.md` that is not part of a longer word, path or glob (`services/*\/README.md` is not a path). */
const citedPattern = /(?<![\w/.*~-])((?:\.{1,2}\/|\/)?(?:[\w.-]+\/)*[\w.-]*\w\.md)(?![\w/-])/g;

/** Whether `target`, as written in `file`, names a file or folder of the repository. */
function exists(file: string, target: string, alsoFromRoot: boolean): boolean {
  if (path.isAbsolute(target)) return false; // outside the repository by definition
  const candidates = [path.resolve(root, path.dirname(file), target)];
  if (alsoFromRoot) candidates.push(path.resolve(root, target));
  return candidates.some((candidate) => candidate.startsWith(root + path.sep) && fs.existsSync(candidate));
}

/**
 * What a document points at that is not in the repository. Links are relative to the document's folder (as GitHub
 * reads them); a path merely cited in the text may also be written from the repository's root ("services/x/README.md").
 */
function brokenReferences(file: string, text: string): string[] {
  const broken: string[] = [];
  for (const [, raw] of text.matchAll(linkPattern)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('#')) continue; // a URL, mailto: or an anchor on the page
    const target = decodeURIComponent(raw.replace(/[#?].*$/, ''));
    if (target && !exists(file, target, false)) broken.push(`link ${raw}`);
  }
  for (const [, cited] of text.replace(urlPattern, ' ').matchAll(citedPattern)) {
    if (!exists(file, cited, true)) broken.push(`cited ${cited}`);
  }
  return [...new Set(broken)];
}

describe('the checker', () => {
  // The names of missing documents are put together here, so this file does not itself cite a document that is not there.
  const md = (name: string) => `${name}.md`;

  test('reports a link and a cited path to files that are not in the repository', () => {
    const plan = `docs/${md('no-such-plan')}`;
    const text = `See [the plan](${plan}), ${md('ARCHITECTURE')} (rule 3) and /work/helpers/${md('CONTRACTS')}.`;
    expect(brokenReferences('README.md', text)).toEqual(
      [`link ${plan}`, `cited ${plan}`, `cited ${md('ARCHITECTURE')}`, `cited /work/helpers/${md('CONTRACTS')}`]);
  });

  test('resolves links from the document\'s own folder, not from the root', () => {
    const inDocs = `docs/${md('any-page')}`;
    expect(brokenReferences(inDocs, '[up](../README.md) [here](glossary.md)')).toEqual([]);
    expect(brokenReferences(inDocs, '[wrong](docs/glossary.md)')).toEqual(['link docs/glossary.md']);
  });

  test('leaves URLs, anchors, globs and folders alone', () => {
    const text = '[site](https://example.org/a/README.md) [top](#shape) `services/*/README.md` [gw](gateway/src) '
      + `https://github.com/o/r/blob/main/${md('CHANGELOG')}`;
    expect(brokenReferences('README.md', text)).toEqual([]);
  });
});

describe('the documents', () => {
  const files = documents();

  test('are the ones the checks expect', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'bench/README.md', 'docs/architecture.md',
      'docs/coverage.md', 'docs/glossary.md', 'services/staff/README.md']));
  });

  test.each(files)('%s links and cites only files that exist', (file) => {
    expect(brokenReferences(file, fs.readFileSync(path.join(root, file), 'utf8'))).toEqual([]);
  });
});

describe('docs/coverage.md', () => {
  const text = fs.readFileSync(path.join(root, 'docs', 'coverage.md'), 'utf8');
  const rows = [...text.matchAll(/^\|\s*(\d+)\s*\|(.*)\|\s*$/gm)].map(([, number, rest]) => ({
    number: Number(number),
    cells: rest.split('|').map((cell) => cell.trim()),
  }));

  test('has every regulation row from 1 to 160, once each, in order', () => {
    expect(rows.map((row) => row.number)).toEqual(Array.from({ length: 160 }, (_, i) => i + 1));
  });

  test('gives every row a seed clause, an item and one of the four verdicts', () => {
    const bad = rows.filter(({ cells }) => cells.length !== 5 || !/^\d{3} §/.test(cells[0]) || !cells[1]
      || !['FULL', 'PARTIAL', 'MISSING', 'OUT'].includes(cells[2]));
    expect(bad.map((row) => row.number)).toEqual([]);
  });

  test('states counts that add up to its verdicts', () => {
    const counted = { FULL: 0, PARTIAL: 0, MISSING: 0, OUT: 0 } as Record<string, number>;
    for (const { cells } of rows) counted[cells[2]] = (counted[cells[2]] ?? 0) + 1;
    const line = /\*\*(\d+) FULL, (\d+) PARTIAL, (\d+) MISSING, (\d+) OUT\*\* of (\d+)/.exec(text);
    expect(line).not.toBeNull();
    expect(line!.slice(1).map(Number)).toEqual([counted.FULL, counted.PARTIAL, counted.MISSING, counted.OUT, rows.length]);
  });
});
