/** Temporary repositories for tests, written from a map of root-relative path → content. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const made: string[] = [];

/** A new folder under the system's temporary folder holding `files`; removed by `removeTempRepos`. */
export function tempRepo(files: Record<string, string | Buffer>, prefix = 'seaworthy-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

/** Removes every folder `tempRepo` made (call it in afterAll or afterEach). */
export function removeTempRepos(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}
