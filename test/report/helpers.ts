/**
 * Report test helpers: render a fixture repository (test/fixtures/report/<name>/, `dot.X` files
 * materialised as `.X`) into a temporary folder named like the fixture, so the document does not
 * depend on where it ran; split a document into its sections; compare with golden files
 * (`UPDATE_GOLDEN=1` rewrites them).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { check } from '../../src/check.js';
import { type ReportVerification, renderMarkdownReport } from '../../src/format/markdown-report.js';

export const FIXTURES = join(import.meta.dirname, '../fixtures/report');
export const GOLDEN = join(import.meta.dirname, 'golden');
/** The "Last Updated" date of every golden document. */
export const DATE = '2026-01-15';

/** The reference document's structure, in order (plus the report's own Open Gaps and Sources). */
export const SECTION_TITLES = [
  'header',
  'Overview',
  'Security Measures by Container',
  'Docker Compose Security',
  'CI/CD Security Scanning',
  'Secrets Management',
  'Logging Configuration',
  "What We Don't Implement (and Why)",
  'Open Gaps',
  'Verification Commands',
  'Sources',
];

const made: string[] = [];

function renameDots(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    let name = e.name;
    if (name.startsWith('dot.')) {
      renameSync(join(dir, name), join(dir, `.${name.slice(4)}`));
      name = `.${name.slice(4)}`;
    }
    if (e.isDirectory()) renameDots(join(dir, name));
  }
}

/** Copies a fixture to `<tmp>/<name>/` (the folder name is the project name when compose gives none). */
export function materialise(name: string): string {
  const base = mkdtempSync(join(tmpdir(), 'seaworthy-report-'));
  made.push(base);
  const dir = join(base, name);
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  renameDots(dir);
  return dir;
}

export function cleanup(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function outcomeOf(name: string) {
  return check(materialise(name), { today: DATE });
}

export async function render(name: string, verification?: ReportVerification): Promise<string> {
  const o = await outcomeOf(name);
  return renderMarkdownReport({ report: o.report, project: o.project, config: o.config }, { date: DATE, verification });
}

export interface Section {
  /** `header` for the title block, else the `## ` heading text. */
  title: string;
  slug: string;
  text: string;
}

/** The document's sections, split at the `---` rules between them. */
export function sections(md: string): Section[] {
  return md
    .replace(/\n$/, '')
    .split('\n\n---\n\n')
    .map((text, i) => {
      const m = /^## (.+)$/m.exec(text);
      const title = i === 0 || !m ? 'header' : m[1];
      const slug = title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
      return { title, slug: `${String(i).padStart(2, '0')}-${slug}`, text: `${text}\n` };
    });
}

/** Compares `actual` with the golden file (or writes it with UPDATE_GOLDEN=1). */
export function golden(rel: string, actual: string): void {
  const file = join(GOLDEN, rel);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`missing golden file test/report/golden/${rel} (UPDATE_GOLDEN=1 writes it)`);
  expect(actual, `${rel} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, 'utf8'));
}
