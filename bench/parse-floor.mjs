// The parse floor: read and parse the files `seaworthy check` parses, with the same parsers and the
// same options, and nothing else (no model, no rules, no output). `bench/run.mjs` bundles this file
// with esbuild the way scripts/build.mjs bundles the CLI, so module loading costs the same.
//
//   node --import tsx bench/parse-floor.mjs ROOT      prints {"files":…, "ms":{phase: ms}} on stdout
//
// Files: found by name by discovery's own classify (src/discover/classify.ts: Dockerfiles, compose files);
// `.git` and `node_modules` are skipped, as discovery does.
// Dockerfiles: the Dockerfile syntax parser the CLI uses (src/parse/dockerfile-syntax.ts; esbuild
// bundles it from source), then the shell parsers on every shell-form RUN / CMD / ENTRYPOINT body
// and HEALTHCHECK CMD command (what src/parse/dockerfile.ts hands to the shell parser).
// Compose files: src/parse/yaml.ts's `parseYaml` (yaml's CST parser, then the tree with positions
// built from its tokens, or yaml's composer for what that leaves), then the shell parsers on
// shell-form `healthcheck.test` strings (src/model/build.ts).
// Shell bodies: as parseShell (src/parse/shell.ts) reads them, without its model builder: the fast
// parser of src/parse/shell-fast.ts, which builds the syntax tree, and for what it leaves
// tree-sitter-bash with the copy of its tree into the same nodes.
import fs from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';

// As bin/seaworthy.js does: wasm on V8's baseline compiler only (no background recompilation that
// the process would wait for at exit), and JavaScript tiered up to TurboFan later than by default.
setFlagsFromString('--liftoff-only');
setFlagsFromString('--interrupt-budget=500000');
// One async function, no top-level await: bench/run.mjs bundles this file as CommonJS, as the CLI is
// bundled, and runs it the way bin/seaworthy.js runs the CLI (bin/run-bundle.js, with a code cache).
async function main() {
  const t0 = performance.now();
  const { parseDockerfileSyntax } = await import('../src/parse/dockerfile-syntax.ts');
  const { execShellScriptIndex, heredocScript, instructionSlicer, isShellC, isShellInterpreter, jsonArgv, lineOffsets, startOf } = await import('../src/parse/dockerfile.ts');
  const { get, parseYaml, str } = await import('../src/parse/yaml.ts');
  const { initShell, shellFields, treeSitterTree } = await import('../src/parse/shell.ts');
  const { fastShell } = await import('../src/parse/shell-fast.ts');
  const { classify } = await import('../src/discover/classify.ts');
  const tLoad = performance.now();

  // Tree-sitter is loaded only if a body needs it, as the check does (src/parse/shell.ts); its load is
  // timed on its own (treeSitterInit).
  const fields = shellFields();

  const root = path.resolve(process.argv[2] ?? '.');
  const dockerfiles = [];
  const composeFiles = [];
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (e.name !== '.git' && e.name !== 'node_modules') walk(path.join(dir, e.name));
      } else if (e.isFile()) {
        const file = path.join(dir, e.name);
        const kind = classify(path.relative(root, file).split(path.sep).join('/'), e.name);
        if (kind === 'dockerfiles') dockerfiles.push(file);
        else if (kind === 'compose') composeFiles.push(file);
      }
    }
  })(root);
  const tWalk = performance.now();
  let treeSitterInit = 0;

  let shellBodies = 0;
  let shellFast = 0;
  let shellMs = 0;
  // The bodies the fast parser leaves to tree-sitter: parsed by it at the end, once it is loaded.
  const left = [];
  const shell = (text) => {
    const s = performance.now();
    if (fastShell(text, fields)) shellFast++;
    else left.push(text);
    shellMs += performance.now() - s;
    shellBodies++;
  };

  let dockerfileMs = 0;
  let readMs = 0;
  for (const f of dockerfiles) {
    const r = performance.now();
    const text = fs.readFileSync(f, 'utf8');
    const s = performance.now();
    readMs += s - r;
    const syntax = parseDockerfileSyntax(text);
    // The texts src/parse/dockerfile.ts hands to the shell parser, cut the way it cuts them.
    const slice = instructionSlicer(text, lineOffsets(text), syntax.escapeChar);
    const bodies = [];
    for (const ins of syntax.instructions) {
      const kw = ins.keyword;
      const at = kw === 'HEALTHCHECK' ? (ins.args[0]?.value.toUpperCase() === 'CMD' ? 1 : -1) : 0;
      if ((kw !== 'RUN' && kw !== 'CMD' && kw !== 'ENTRYPOINT' && kw !== 'HEALTHCHECK') || at < 0 || !ins.args[at]) continue;
      const body = slice(startOf(ins.args[at].range), ins);
      const argv = jsonArgv(body);
      if (argv) {
        const i = kw === 'RUN' ? execShellScriptIndex(argv) : kw === 'HEALTHCHECK' && isShellC(argv) ? 2 : null;
        if (i !== null && argv[i] !== undefined) bodies.push(argv[i]);
      } else {
        const hd = kw === 'RUN' ? heredocScript(body) : null;
        if (!hd) bodies.push(body);
        else if (isShellInterpreter(hd.interpreter)) bodies.push(hd.body);
      }
    }
    dockerfileMs += performance.now() - s;
    for (const b of bodies) shell(b);
  }

  let yamlMs = 0;
  for (const f of composeFiles) {
    const r = performance.now();
    const text = fs.readFileSync(f, 'utf8');
    const s = performance.now();
    readMs += s - r;
    const y = parseYaml(f, text);
    yamlMs += performance.now() - s;
    const services = get(y.root, 'services');
    if (services?.kind !== 'map') continue;
    for (const svc of services.entries) {
      const test = get(get(svc.value, 'healthcheck'), 'test');
      if (test?.kind === 'scalar' && typeof test.value === 'string') shell(test.value);
      else if (test?.kind === 'seq' && test.items.length > 1 && str(test.items[0]) === 'CMD-SHELL') {
        const cmd = test.items[1];
        if (cmd.kind === 'scalar' && typeof cmd.value === 'string') shell(cmd.value);
      }
    }
  }

  if (left.length) {
    const i = performance.now();
    await initShell();
    const s = performance.now();
    treeSitterInit = s - i;
    for (const text of left) treeSitterTree(text);
    shellMs += performance.now() - s;
  }

  const r1 = (n) => Math.round(n * 10) / 10;
  process.stdout.write(
    `${JSON.stringify({
      files: { dockerfiles: dockerfiles.length, compose: composeFiles.length, shellBodies, shellFast },
      ms: {
        load: r1(tLoad - t0),
        treeSitterInit: r1(treeSitterInit),
        walk: r1(tWalk - tLoad),
        read: r1(readMs),
        dockerfile: r1(dockerfileMs),
        shell: r1(shellMs),
        yaml: r1(yamlMs),
        total: r1(performance.now() - t0),
      },
    })}\n`,
  );
}

// Ends as the CLI does (src/cli/main.ts, exitFlushed): once the output is out, without waiting for
// garbage collections V8 has scheduled.
main().then(() => process.stdout.write('', () => process.exit(0)));
