// Jest's globals in the app build too, which compiles backend/src/testing for the bench.
/// <reference types="jest" />
/**
 * Asserts that `map` sends each key of `expected` to its value, in one comparison: a wrong row shows in the diff
 * next to the right ones, and the table reads as the mapping it checks.
 */
export function expectMapsEach<T>(map: (input: string) => T, expected: Record<string, T>): void {
  const actual = Object.fromEntries(Object.keys(expected).map((input) => [input, map(input)]));
  expect(actual).toEqual(expected);
}
