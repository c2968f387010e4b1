/**
 * Tree-sitter is loaded only when a script needs it (src/parse/shell.ts, src/model/build.ts). This
 * file runs in its own module graph, so tree-sitter starts unloaded here; the tests run in order.
 */
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { check } from '../../src/check.js';
import { formatJsonBytes } from '../../src/format/json.js';
import { parseShell, ShellParserNeeded, shellFields, shellReady } from '../../src/parse/shell.js';
import { removeTempRepos, tempRepo } from '../temp-repo.js';

const TODAY = '2026-11-29';
afterAll(() => {
  removeTempRepos();
});

function repo(files: Record<string, string | Buffer>): string {
  return tempRepo(files, 'seaworthy-lazy-');
}

async function json(root: string): Promise<string> {
  const o = await check(root, { today: TODAY });
  return formatJsonBytes({ ...o.report, tool: { name: 'seaworthy', version: 'test' }, durationMs: 0 }).toString();
}

/** Backticks: outside the fast parser's subset, so only tree-sitter reads this body. */
const TREE_SITTER_ONLY = 'echo `date` > /built-at';

describe('loading tree-sitter only when a script needs it', () => {
  it('reads the fast subset before tree-sitter is loaded, and asks for it otherwise', () => {
    expect(shellReady()).toBe(false);
    expect(parseShell('apt-get update && apt-get install -y curl').commands.map((c) => c.name)).toEqual(['apt-get', 'apt-get']);
    expect(() => parseShell(TREE_SITTER_ONLY)).toThrow(ShellParserNeeded);
    expect(shellReady()).toBe(false);
  });

  it('checks a repository whose scripts are all in the subset without loading it', async () => {
    const root = repo({
      'Dockerfile': 'FROM node:20-alpine\nRUN apk add --no-cache curl && npm ci\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\nUSER node\nCMD ["node", "server.js"]\n',
      'compose.yaml': 'services:\n  web:\n    build: .\n    healthcheck:\n      test: curl -f http://localhost/ || exit 1\n',
    });
    const out = JSON.parse(await json(root));
    expect(out.errors).toEqual([]);
    expect(out.results.length).toBeGreaterThan(20);
    expect(shellReady()).toBe(false);
  });

  it('loads it for a script outside the subset, and the model built again is the same as one built with it loaded', async () => {
    // A binary Dockerfile is read (and its error recorded) before the build meets the script that
    // needs tree-sitter: the error must still be reported once.
    const root = repo({
      'a/Dockerfile': Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x00, 0x01]),
      'b/Dockerfile': `FROM debian:12\nRUN ${TREE_SITTER_ONLY}\nCMD ["/bin/app"]\n`,
      'c/Dockerfile': 'FROM debian:12\nRUN curl -k https://example.com/x | sh\n',
    });
    const first = await json(root);
    expect(shellReady()).toBe(true);
    const again = await json(root);
    expect(first).toBe(again);
    const out = JSON.parse(first);
    expect(out.errors.map((e: { file: string }) => e.file)).toEqual(['a/Dockerfile']);
    // The script tree-sitter read is in the model: the rule that looks for `curl -k` still sees c/.
    expect(out.results.some((r: { ruleId: string; status: string; location: { file: string } }) => r.ruleId === 'dockerfile/tls-verification' && r.status === 'fail' && r.location.file === 'c/Dockerfile')).toBe(true);
  });

  it('loads it before building a repository with workflows, or with more than a few Dockerfiles and compose files', async () => {
    const small = { Dockerfile: 'FROM debian:12\nRUN apt-get update\n' };
    const withWorkflow = repo({ ...small, '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n' });
    const many = repo(Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`s${i}/Dockerfile`, small.Dockerfile])));
    for (const root of [withWorkflow, many]) {
      // Fresh modules: tree-sitter not loaded yet.
      vi.resetModules();
      const fresh = { check: (await import('../../src/check.js')).check, shell: await import('../../src/parse/shell.js') };
      expect(fresh.shell.shellReady()).toBe(false);
      const o = await fresh.check(root, { today: TODAY });
      expect(o.report.errors).toEqual([]);
      expect(fresh.shell.shellReady()).toBe(true);
    }
  });

  it('records the field ids of the grammar tree-sitter loads', async () => {
    const { Language, Parser } = await import('web-tree-sitter');
    await Parser.init();
    const lang = await Language.load(createRequire(import.meta.url).resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
    const fields = shellFields();
    for (const name of Object.keys(fields) as (keyof typeof fields)[]) expect([name, lang.fieldIdForName(name)]).toEqual([name, fields[name]]);
  });
});
