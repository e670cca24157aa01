import fs from 'node:fs';
import path from 'node:path';

/**
 * Conventions a reviewer would otherwise have to remember. A store function that hands back a knex builder typed as
 * a Promise runs its SQL once per `.then` called on it: a resolver returning it directly sends the statement twice
 * (graphql-js and Apollo's instrumentation both call `.then`; bench/ caught it as "repeated" SQL). Store functions
 * that return a Promise are therefore `async`, which turns the builder into one promise, run once.
 */
const root = path.resolve(__dirname, '..');
const storeFiles = fs.readdirSync(path.join(root, 'services')).flatMap((service) => {
  const folder = path.join(root, 'services', service, 'src', 'store');
  return fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.endsWith('.ts')).map((f) => path.join(folder, f)) : [];
});

test('there are store files to check', () => {
  expect(storeFiles.length).toBeGreaterThan(10);
});

test.each(storeFiles.map((file) => [path.relative(root, file), file]))('%s: every exported function returning a Promise is async', (_name, file) => {
  const source = fs.readFileSync(file, 'utf8');
  // Signatures may span lines: from `export` to the `{` or `=>` that opens the body.
  const signatures = [...source.matchAll(/^export (?:const (\w+) = (async )?\(|(async )?function (\w+)\()(?:(?!\n(?:export|\}))[\s\S])*?\)\s*:\s*([^\n{=]*?)\s*(?:=>|\{)\s*$/gm)];
  const offenders = signatures
    .filter((m) => /^Promise</.test((m[5] ?? '').trim()) && !m[2] && !m[3])
    .map((m) => m[1] ?? m[4]);
  expect(offenders).toEqual([]);
});
