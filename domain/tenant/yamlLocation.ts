/** Finds the line of a key path in a parsed YAML document, for error messages that point into the file. */
import { isAlias, isMap, isNode, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

/**
 * The line of the deepest part of `path` the document has: the key's line for a mapping entry, the
 * item's line for a list entry. Undefined when not even the first key is in the file.
 */
export function lineOfPath(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  let node: unknown = doc.contents;
  let line = path.length === 0 && isNode(node) ? lineAt(node.range?.[0]) : undefined;
  for (const key of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(key));
      if (!pair) break;
      line = isNode(pair.key) ? (lineAt(pair.key.range?.[0]) ?? line) : line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item: unknown = node.items[key];
      if (!isNode(item)) break;
      line = lineAt(item.range?.[0]) ?? line;
      node = item;
    } else {
      break;
    }
  }
  return line;
}

/** Issues in the order of their lines (those without a line last), keeping the order of issues on one line. */
export function sortByLine<T extends { line?: number | undefined }>(issues: T[]): T[] {
  return issues
    .map((issue, order) => ({ issue, order }))
    .sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || a.order - b.order)
    .map(({ issue }) => issue);
}

/** The first line of a parser's message (the yaml library adds a code excerpt below it). */
export function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
