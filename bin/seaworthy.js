#!/usr/bin/env node
// WebAssembly (the tree-sitter-bash grammar) runs on V8's baseline compiler only. By default V8 also
// recompiles the hot grammar functions with its optimizing compiler in the background, and Node
// waits for that work before the process can exit: about 300 ms of CPU and wall time on every run,
// more than a typical whole check. Set before the CLI (and so any wasm) is loaded.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--liftoff-only');
await import('../dist/cli.js');
