/**
 * For component specs: `byTestId(id, root?)` finds the element with that `data-testid` under `root` (by default
 * the fixture's element, read when called) and fails by naming the id when there is none.
 */
export function testIdFinder(
  element: () => ParentNode,
): <T extends HTMLElement>(id: string, root?: ParentNode) => T {
  return <T extends HTMLElement>(id: string, root: ParentNode = element()): T => {
    const found = root.querySelector<T>(`[data-testid="${id}"]`);
    if (!found) throw new Error(`no ${id}`);
    return found;
  };
}
