/**
 * Compares the generated rule docs with the files on disk and writes them. Used by
 * `scripts/gen-docs.ts` (write and `--check`) and by the docs freshness test.
 */
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { RuleMeta } from '../types.js';
import { renderDocsTree } from './rule-doc.js';

export interface DocsDiff {
  /** Pages to create (missing on disk). */
  missing: string[];
  /** Pages whose content differs. */
  changed: string[];
  /** Markdown files on disk that no rule renders any more. */
  stale: string[];
}

function listMarkdown(dir: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...listMarkdown(full));
    else if (e.isFile() && e.name.endsWith('.md')) out.push(full);
  }
  return out;
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Paths in the result are POSIX, relative to `docsDir`, sorted. */
export function diffDocs(docsDir: string, metas: readonly RuleMeta[]): DocsDiff {
  const rendered = renderDocsTree(metas);
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [rel, content] of rendered) {
    const onDisk = readOrNull(join(docsDir, rel));
    if (onDisk === null) missing.push(rel);
    else if (onDisk !== content) changed.push(rel);
  }
  const stale = listMarkdown(docsDir)
    .map((f) => relative(docsDir, f).split(sep).join('/'))
    .filter((rel) => !rendered.has(rel));
  return { missing: missing.sort(), changed: changed.sort(), stale: stale.sort() };
}

export function isFresh(d: DocsDiff): boolean {
  return d.missing.length === 0 && d.changed.length === 0 && d.stale.length === 0;
}

/** Writes missing and changed pages, deletes stale ones (and folders left empty). Returns the diff applied. */
export function writeDocs(docsDir: string, metas: readonly RuleMeta[]): DocsDiff {
  const d = diffDocs(docsDir, metas);
  const rendered = renderDocsTree(metas);
  for (const rel of [...d.missing, ...d.changed]) {
    const file = join(docsDir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, rendered.get(rel) ?? '');
  }
  for (const rel of d.stale) {
    rmSync(join(docsDir, rel));
    // Remove folders the deletion left empty, up to docsDir.
    let dir = dirname(join(docsDir, rel));
    while (dir !== docsDir && dir.startsWith(docsDir)) {
      try {
        rmdirSync(dir);
      } catch {
        break;
      }
      dir = dirname(dir);
    }
  }
  return d;
}
