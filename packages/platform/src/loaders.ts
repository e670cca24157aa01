import DataLoader from 'dataloader';

/**
 * The two DataLoader shapes every subgraph needs (docs/architecture.md, rule 4). Each batch function runs one SQL query
 * for all the keys collected in a tick; the loaders live in the request context and die with the request.
 */

/** One row per key, or null when there is none (or the viewer may not see it). */
export function rowLoader<K extends string, R>(load: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R | null> {
  return new DataLoader<K, R | null>(async (keys) => {
    const byKey = new Map((await load(keys)).map((row) => [keyOf(row), row] as const));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** Every row of each key, in the order the query returned them. */
export function groupLoader<K extends string, R>(load: (keys: readonly K[]) => Promise<R[]>, keyOf: (row: R) => K): DataLoader<K, R[]> {
  return new DataLoader<K, R[]>(async (keys) => {
    const groups = new Map<K, R[]>(keys.map((key) => [key, []]));
    for (const row of await load(keys)) groups.get(keyOf(row))?.push(row);
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/** Loaders that take an argument besides the key (e.g. `employments(activeOn:)`): one loader per distinct argument. */
export function loaderFamily<A, L>(make: (argument: A) => L): (argument: A) => L {
  const family = new Map<string, L>();
  return (argument) => {
    const id = JSON.stringify(argument ?? null);
    let loader = family.get(id);
    if (!loader) family.set(id, (loader = make(argument)));
    return loader;
  };
}
