/** The Dockerfiles (and Containerfiles) below a folder, for tests that compare parsers on real files. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below `dir` whose name says Dockerfile or Containerfile (`.git` and `node_modules` skipped). */
export function dockerfilesUnder(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) {
      if (e !== '.git' && e !== 'node_modules') dockerfilesUnder(p, out);
    } else if (/dockerfile|containerfile/i.test(e)) out.push(p);
  }
  return out;
}
