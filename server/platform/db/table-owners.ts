/**
 * The ownership check of issue 10: a module's SQL names only the tables it owns
 * (server/platform/db/tables.ts). Pure functions over a file's text, so the unit test runs
 * them on fixtures; scripts/check-table-owners.ts walks `server/` and prints the findings.
 *
 * What counts as naming a table:
 * - a query-builder call whose first argument is a string starting with the table
 *   (`selectFrom('households as h')`, `insertInto`, `updateTable`, `deleteFrom`, `mergeInto`,
 *   any `…Join(…)`, `sql.table(…)`);
 * - inside a string or template literal (raw `sql` templates, `client.query('…')`):
 *   `from t`, `join t`, `into t`, `update t`, `using t`, `truncate t`;
 * - in a repository (`*.repository.ts`), a string that is exactly a table's name: a table
 *   passed to a helper (`insertChunks(trx, 'agencies', …)`, `sql.table(name)`).
 * Comments are skipped; names that are not tables of the map (CTEs, aliases, words) are ignored.
 */
import { ownerOf, type TableOwner } from './tables.ts';

export type TableUse = { line: number; table: string; owner: TableOwner; inFunction: string | null };
export type Violation = TableUse & { file: string; fileOwner: TableOwner | null };

/** Whether a `/` at `at` starts a regular expression (after an operator, a bracket or `return`), not a division. */
function startsExpression(text: string, at: number) {
  let k = at - 1;
  while (k >= 0 && /\s/.test(text[k] as string)) k--;
  if (k < 0) return true;
  if ('(,=:[!&|?{};+-*%<>~^'.includes(text[k] as string)) return true;
  return /\b(return|typeof|case|in|of|void|yield|await)$/.test(text.slice(Math.max(0, k - 6), k + 1));
}

/**
 * A file's text with comments blanked (offsets and lines kept), and the literal parts of its
 * strings and templates (without the `${…}` parts, which are code).
 */
function lex(text: string) {
  const code = text.split('');
  const literals: { start: number; text: string }[] = [];
  // Stack of open template literals: the brace depth of the `${` that left each one.
  const templates: number[] = [];
  let braces = 0;
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (code[k] !== '\n') code[k] = ' ';
  };
  // Reads template text from i (just after ` or }) up to the closing ` or the next ${.
  const readTemplate = () => {
    const start = i;
    while (i < text.length) {
      const c = text[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '`') {
        literals.push({ start, text: text.slice(start, i) });
        i++;
        return;
      }
      if (c === '$' && text[i + 1] === '{') {
        literals.push({ start, text: text.slice(start, i) });
        templates.push(braces);
        braces++;
        i += 2;
        return;
      }
      i++;
    }
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && startsExpression(text, i)) {
      // A regular expression literal: skipped, so its quotes or backticks open nothing.
      let inClass = false;
      i++;
      while (i < text.length && text[i] !== '\n') {
        const r = text[i];
        if (r === '\\') i++;
        else if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
        i++;
      }
      i++;
    } else if (c === "'" || c === '"') {
      const start = ++i;
      while (i < text.length && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      literals.push({ start, text: text.slice(start, i) });
      i++;
    } else if (c === '`') {
      i++;
      readTemplate();
    } else if (c === '{') {
      braces++;
      i++;
    } else if (c === '}') {
      braces--;
      i++;
      if (templates.length && templates[templates.length - 1] === braces) {
        templates.pop();
        readTemplate();
      }
    } else {
      i++;
    }
  }
  return { code: code.join(''), literals };
}

const builderCall = /\.(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto|\w*[jJ]oin\w*|table)\(\s*\[?\s*['"`]([A-Za-z_][A-Za-z0-9_]*)/g;
const sqlClause = /\b(?:from|join|into|update|using|truncate)\s+(?:only\s+|table\s+)?(?:public\.)?"?([A-Za-z_][A-Za-z0-9_]*)/gi;

/** Every table of the map the file's SQL names, with its line and the top-level function around it. */
export function tableUses(text: string, options: { bareNames?: boolean } = {}): TableUse[] {
  const { code, literals } = lex(text);
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text[k] === '\n') lineStarts.push(k + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  // Top-level declarations (the house style: `export async function x`, `const x =` at column 0).
  const declarations: { offset: number; name: string }[] = [];
  for (const m of code.matchAll(/^(?:export\s+)?(?:async\s+)?(?:function\s*\*?\s*|const\s+|let\s+)([A-Za-z_$][\w$]*)/gm)) {
    declarations.push({ offset: m.index, name: m[1] as string });
  }
  const functionAt = (offset: number) => {
    let name: string | null = null;
    for (const d of declarations) {
      if (d.offset > offset) break;
      name = d.name;
    }
    return name;
  };
  const uses: TableUse[] = [];
  const add = (offset: number, table: string) => {
    const owner = ownerOf(table.toLowerCase());
    if (owner) uses.push({ line: lineOf(offset), table: table.toLowerCase(), owner, inFunction: functionAt(offset) });
  };
  for (const m of code.matchAll(builderCall)) add(m.index, m[2] as string);
  for (const l of literals) for (const m of l.text.matchAll(sqlClause)) add(l.start + m.index, m[1] as string);
  if (options.bareNames) {
    // Only as an argument (after `(` or `,`): a union member or a `kind: 'agencies'` is not a table use.
    for (const l of literals) {
      if (!/^[a-z_]+$/.test(l.text) || uses.some((u) => u.line === lineOf(l.start) && u.table === l.text)) continue;
      if (/[(,]\s*$/.test(code.slice(Math.max(0, l.start - 40), l.start - 1))) add(l.start, l.text);
    }
  }
  return uses.sort((a, b) => a.line - b.line);
}

/** The module a file of `server/` belongs to: `server/modules/<m>/…` → m, `server/platform/<p>/…` → platform/<p>. */
export function moduleOf(file: string): TableOwner | null {
  const m = /^server\/(modules|platform)\/([^/]+)\//.exec(file.replaceAll('\\', '/'));
  if (!m) return null;
  return (m[1] === 'platform' ? `platform/${m[2]}` : m[2]) as TableOwner;
}

/** The tables a file names that its module does not own. */
export function violations(file: string, text: string): Violation[] {
  const fileOwner = moduleOf(file);
  return tableUses(text, { bareNames: file.endsWith('.repository.ts') })
    .filter((u) => u.owner !== fileOwner)
    .map((u) => ({ ...u, file, fileOwner }));
}
