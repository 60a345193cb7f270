/**
 * An object with an entry for each of `keys` (in their order), each value made by `valueOf`. What is built
 * is checked to hold every key before it is typed as the whole record, so a table keyed by school type or
 * field needs no cast from `Object.fromEntries`.
 */
export function recordOf<K extends PropertyKey, V>(keys: readonly K[], valueOf: (key: K, index: number) => V): Record<K, V> {
  const record: Partial<Record<K, V>> = {};
  keys.forEach((key, index) => {
    record[key] = valueOf(key, index);
  });
  if (!holdsEvery(record, keys)) throw new Error('recordOf: a key was left out');
  return record;
}

function holdsEvery<K extends PropertyKey, V>(record: Partial<Record<K, V>>, keys: readonly K[]): record is Record<K, V> {
  return keys.every((key) => Object.hasOwn(record, key));
}
