#!/usr/bin/env node
// CommonJS (bin/package.json), like the bundle it runs: Node's ES module loader costs ~4 ms of every
// start that the CommonJS loader does not.
//
// WebAssembly (the tree-sitter-bash grammar) runs on V8's baseline compiler only. By default V8 also
// recompiles the hot grammar functions with its optimizing compiler in the background, and Node
// waits for that work before the process can exit: about 300 ms of CPU and wall time on every run,
// more than a typical whole check. Set before the CLI (and so any wasm) is loaded.
//
// JavaScript tiers up to TurboFan ~7× later than V8's default (interrupt budget 66 KB of bytecode →
// 500 KB). A check is short and runs most of its code a few hundred times at most; by default V8
// optimises (in the background) hundreds of functions that are done before their code is ready, and
// on a 2-vCPU machine that compiler thread shares a physical core with the main thread. Measured on
// the shared corpus (medians): default 0.93 s wall / 1.45 s CPU; 264 KB 0.78 s / 1.09 s; with the
// code cache below, 264 KB 0.72 s / 1.01 s and 500 KB 0.70 s / 0.91 s; ×4 and ×16 the corpus, and a
// one-file check, are as fast or faster. Hot code (parsers, tree walks) is still optimised.
//
// The CLI is one CommonJS bundle run with a V8 code cache (bin/run-bundle.js); V8 accepts a cache only
// under the flags it was made with, so they are set first.
'use strict';
const { setFlagsFromString } = require('node:v8');

setFlagsFromString('--liftoff-only');
setFlagsFromString('--interrupt-budget=500000');
// A check in parts asks for a full collection when garbage piles up between its batches
// (src/check-parts.ts); a flag set now exposes `gc` to new contexts, where it looks for it.
setFlagsFromString('--expose-gc');
require('./run-bundle.js').runBundle(require('node:path').join(__dirname, '..', 'dist', 'seaworthy.cjs'));
