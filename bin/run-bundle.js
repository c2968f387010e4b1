// Runs a CommonJS bundle (dist/seaworthy.cjs) with a V8 code cache.
//
// Compiling the CLI's JavaScript is a large share of a run: the top level of ~1.6 MB of bundled code
// is parsed at load, and every function is parsed and compiled to bytecode the first time it runs,
// about 100 ms of a check of the shared corpus. Node 20 has no compile cache for modules, so the
// build (scripts/build.mjs) bundles the CLI as one CommonJS file and records V8's code cache for it
// after warm-up runs (`SEAWORTHY_CODE_CACHE=write`: written at exit, with every function compiled by
// then). A run compiles the bundle with that cache, and the bytecode of those functions is loaded
// instead of being compiled.
//
// The cache starts with the SHA-1 of the bundle it was made for; a cache for other bytes is not used.
// V8 itself rejects a cache made by another V8 version or with other V8 flags (so the flags must be
// set before this runs, as bin/seaworthy.js does); a rejected or missing cache only means the code is
// compiled as usual.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

const DIGEST_BYTES = 20;

/** Runs `file` (CommonJS) with `file + '.cache'`; returns its exports. */
export function runBundle(file) {
  const bytes = readFileSync(file);
  const digest = createHash('sha1').update(bytes).digest();
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    const c = readFileSync(cacheFile);
    if (c.length > DIGEST_BYTES && digest.equals(c.subarray(0, DIGEST_BYTES))) cachedData = c.subarray(DIGEST_BYTES);
  } catch {
    // no cache: compiled as usual
  }
  // Strict like the ES module bundle it replaces (a module's code is strict).
  const source = `(function (exports, require, module, __filename, __dirname) {"use strict";${bytes.toString('utf8')}\n})`;
  const script = new Script(source, { filename: file, cachedData });
  if (process.env.SEAWORTHY_CODE_CACHE === 'write') {
    process.once('exit', () => writeFileSync(cacheFile, Buffer.concat([digest, script.createCachedData()])));
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}
