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
// A cache is used only for the bundle it was made for. The build stamps the bundle (`stampBundle`):
// its last line names the SHA-1 of the bytes before it, and the cache starts with the same stamp. A
// run compares the two stamps instead of hashing the bundle (loading node:crypto and hashing 1.6 MB
// cost ~6 ms of every start). V8 itself rejects a cache made for a source of another length, by
// another V8 version or under other V8 flags (so the flags must be set before this runs, as
// bin/seaworthy.js does); a rejected or missing cache only means the code is compiled as usual.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

const STAMP = '\n//# seaworthy-bundle ';
const STAMP_HEX = 40;
/** The stamp line's length: STAMP, 40 hex digits, a newline. */
const STAMP_BYTES = STAMP.length + STAMP_HEX + 1;

/** The bundle's stamp (40 hex digits), or null when it has none. */
function stampOf(bytes) {
  if (bytes.length < STAMP_BYTES) return null;
  const tail = bytes.toString('latin1', bytes.length - STAMP_BYTES);
  return tail.startsWith(STAMP) && tail.endsWith('\n') ? tail.slice(STAMP.length, -1) : null;
}

/** Runs `file` (CommonJS) with `file + '.cache'`; returns its exports. */
function runBundle(file) {
  const bytes = readFileSync(file);
  const stamp = stampOf(bytes);
  const cacheFile = `${file}.cache`;
  let cachedData;
  if (stamp !== null) {
    try {
      const c = readFileSync(cacheFile);
      if (c.length > STAMP_HEX && c.toString('latin1', 0, STAMP_HEX) === stamp) cachedData = c.subarray(STAMP_HEX);
    } catch {
      // no cache: compiled as usual
    }
  }
  // Strict like the ES module bundle it replaces (a module's code is strict).
  const source = `(function (exports, require, module, __filename, __dirname) {"use strict";${bytes.toString('utf8')}\n})`;
  const script = new Script(source, { filename: file, cachedData });
  if (process.env.SEAWORTHY_CODE_CACHE === 'write' && stamp !== null) {
    process.once('exit', () => writeFileSync(cacheFile, Buffer.concat([Buffer.from(stamp, 'latin1'), script.createCachedData()])));
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

/** Build time: ends `file` with its stamp (the SHA-1 of its bytes), replacing an earlier one. */
function stampBundle(file) {
  let bytes = readFileSync(file);
  if (stampOf(bytes) !== null) bytes = bytes.subarray(0, bytes.length - STAMP_BYTES);
  const digest = require('node:crypto').createHash('sha1').update(bytes).digest('hex');
  writeFileSync(file, Buffer.concat([bytes, Buffer.from(`${STAMP}${digest}\n`, 'latin1')]));
}

exports.runBundle = runBundle;
exports.stampBundle = stampBundle;
