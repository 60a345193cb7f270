/** True when `value` is one of `values`: narrows a string from the URL, a tab or an answer to its union. */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return values.some((known) => known === value);
}
