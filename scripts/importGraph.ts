/**
 * The project's import graph as the compiler sees it, for the checks of `npm run lint`: which modules a file imports
 * at run time (type-only imports are erased when compiled) and which files the workflow bundle pulls in.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** The module specifiers a file imports at run time (static, re-exports, dynamic `import()` and `require`). */
export function runtimeImports(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((element) => element.isTypeOnly)));
      if (!typeOnly) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteral(first)) specifiers.push(first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/** The repository file a relative specifier of `file` names (`x` → `x.ts` or `x/index.ts`), or null. */
export function resolveRelative(root: string, file: string, specifier: string): string | null {
  const base = resolve(root, dirname(file), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(root, candidate);
  }
  return null;
}

function typeScriptFilesUnder(root: string, folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => join(folder, name));
}

/**
 * Every file of the repository the workflow bundle evaluates: the workflow code (everything under `workflows/`, the
 * bundle's entry and its interceptors) and all it imports at run time, followed file by file.
 */
export function workflowBundleFiles(root: string): string[] {
  const seen = new Set<string>();
  const pending = typeScriptFilesUnder(root, 'workflows');
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.ts')) continue;
    for (const specifier of runtimeImports(join(root, file))) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(root, file, specifier);
      if (target !== null && !seen.has(target)) pending.push(target);
    }
  }
  return [...seen].sort();
}
