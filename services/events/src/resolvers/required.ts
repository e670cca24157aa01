/** A foreign key guarantees the row; a null here would be a bug worth an error, not a silent null. */
export function required<T>(row: T | null): T {
  if (row === null) throw new Error('a referenced row is missing');
  return row;
}
