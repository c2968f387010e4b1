/**
 * Regenerates examples/hardened/SECURITY.md: the `seaworthy report` of the hardened example stack,
 * with a fixed "Last Updated" date so the committed document changes only when the facts do.
 * `npm run examples:report`; test/report/example.test.ts fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { reportCommand } from '../src/cli/report.js';

export const EXAMPLE_DIR = join(import.meta.dirname, '../examples/hardened');
export const EXAMPLE_REPORT = join(EXAMPLE_DIR, 'SECURITY.md');
/** The document's "Last Updated" (and the day its waivers' expiry is judged on). */
export const EXAMPLE_DATE = '2026-11-29';

export async function renderExample(): Promise<string> {
  const r = await reportCommand(EXAMPLE_DIR, { date: EXAMPLE_DATE });
  if (r.errors.length) throw new Error(`examples/hardened: ${r.errors.map((e) => `${e.file} ${e.message}`).join('; ')}`);
  return r.markdown;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(EXAMPLE_REPORT, await renderExample());
  process.stdout.write('examples/hardened/SECURITY.md written\n');
}
