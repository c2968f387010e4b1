/**
 * bin/run-bundle.js: a bundle runs with the V8 code cache made for it, and only that one (the stamps
 * must match), whatever else lies beside it. Each case runs in a child process under the CLI's V8
 * flags, with `vm.Script` wrapped to report whether a cache was handed to V8 and whether V8 took it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempRepos, tempRepo } from '../temp-repo.js';

const RUN_BUNDLE = join(import.meta.dirname, '../../bin/run-bundle.js');
const { stampBundle } = createRequire(import.meta.url)(RUN_BUNDLE) as { stampBundle: (file: string) => void };

afterAll(removeTempRepos);

/** Runs the bundle in `dir`; returns what it printed and what happened to the cache. */
function runIn(dir: string, write = false): { out: string; given: boolean; rejected: boolean } {
  const probe = [
    "const vm = require('node:vm');",
    'const Orig = vm.Script;',
    'let given = false, rejected = false;',
    'vm.Script = class extends Orig { constructor(s, o) { super(s, o); given = !!o.cachedData; rejected = this.cachedDataRejected === true; } };',
    "for (const f of ['--liftoff-only', '--interrupt-budget=500000', '--expose-gc']) require('node:v8').setFlagsFromString(f);",
    `const m = require(${JSON.stringify(RUN_BUNDLE)}).runBundle(${JSON.stringify(join(dir, 'b.cjs'))});`,
    'process.stdout.write(JSON.stringify({ out: m.hello(), given, rejected }));',
  ].join('\n');
  const r = spawnSync(process.execPath, ['-e', probe], {
    encoding: 'utf8',
    env: { ...process.env, SEAWORTHY_CODE_CACHE: write ? 'write' : '' },
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

function bundle(body: string): string {
  const dir = tempRepo({ 'b.cjs': `exports.hello = () => ${body};\n` }, 'seaworthy-bundle-');
  const file = join(dir, 'b.cjs');
  stampBundle(file);
  return dir;
}

describe('run-bundle', () => {
  it('stamps a bundle once: stamping again replaces the stamp', () => {
    const dir = bundle("'one'");
    const file = join(dir, 'b.cjs');
    const once = readFileSync(file, 'latin1');
    expect(once).toMatch(/^exports\.hello = \(\) => 'one';\n\n\/\/# seaworthy-bundle [0-9a-f]{40}\n$/);
    stampBundle(file);
    expect(readFileSync(file, 'latin1')).toBe(once);
  });

  it('uses the cache made for the bundle, and not one made for another build', () => {
    const dir = bundle("'one'");
    expect(runIn(dir)).toEqual({ out: 'one', given: false, rejected: false }); // no cache yet
    expect(runIn(dir, true)).toEqual({ out: 'one', given: false, rejected: false }); // writes it
    expect(runIn(dir)).toEqual({ out: 'one', given: true, rejected: false });

    // Another build of the same length: its stamp differs, so the old cache is not handed to V8.
    const other = bundle("'two'");
    writeFileSync(join(other, 'b.cjs.cache'), readFileSync(join(dir, 'b.cjs.cache')));
    expect(runIn(other)).toEqual({ out: 'two', given: false, rejected: false });

    // A bundle without a stamp runs without a cache, and none is written for it.
    const plain = tempRepo({ 'b.cjs': "exports.hello = () => 'plain';\n" }, 'seaworthy-bundle-');
    writeFileSync(join(plain, 'b.cjs.cache'), readFileSync(join(dir, 'b.cjs.cache')));
    expect(runIn(plain, true)).toEqual({ out: 'plain', given: false, rejected: false });
    expect(readFileSync(join(plain, 'b.cjs.cache'))).toEqual(readFileSync(join(dir, 'b.cjs.cache')));
  });
});
