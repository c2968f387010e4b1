/**
 * Following what an image starts (ENTRYPOINT/CMD, compose `entrypoint:`/`command:`) to the shell
 * script in the repository: program → path in the image (absolute, WORKDIR-relative, or through
 * PATH) → the COPY/ADD that put it there (following `--from` stages) → the source file in the build
 * context. Pure: the caller supplies the file reader.
 */
import { posix } from 'node:path';
import { loc } from './location.js';
import { baseName } from '../parse/shell.js';
import type { Location } from '../types.js';
import type { CopyInstr, DockerfileModel, ExecSpec, Range, Stage } from './dockerfile.js';
import { stageChain } from './image.js';
import type { Image } from './project.js';
import type { ScriptVia } from './script.js';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);
/** Programs that run their argument: `tini -- x`, `gosu user x`, ... (value: positional args to skip before the program). */
const WRAPPERS: Record<string, number> = {
  tini: 0,
  'tini-static': 0,
  'dumb-init': 0,
  'docker-init': 0,
  catatonit: 0,
  gosu: 1,
  'su-exec': 1,
  'setpriv': 0,
  exec: 0,
  env: 0,
};

/** A program start to follow: the argv an image or service runs, with where it is written. */
export interface StartSpec {
  via: ScriptVia;
  argv: string[] | null;
  /** Shell form / string form: the command text (first command is followed). */
  shellText: string | null;
  refLoc: Location;
  environment?: string;
  service?: string;
}

/** The effective ENTRYPOINT and CMD of a stage (last in the chain; an ENTRYPOINT resets an inherited CMD). */
export function effectiveStart(df: DockerfileModel, stage: Stage): { entrypoint: ExecSpec | null; cmd: ExecSpec | null } {
  const chain = stageChain(df, stage);
  let entrypoint: ExecSpec | null = null;
  let cmd: ExecSpec | null = null;
  for (const s of chain) {
    if (!entrypoint && s.entrypoints.length) entrypoint = s.entrypoints[s.entrypoints.length - 1];
    if (!cmd && s.cmds.length) {
      const c = s.cmds[s.cmds.length - 1];
      // Docker: setting ENTRYPOINT in a later stage resets a CMD inherited from before it.
      if (!(entrypoint && entrypoint.instr.stage !== s.index && chain.indexOf(df.stages[entrypoint.instr.stage]) < chain.indexOf(s))) cmd = c;
    }
  }
  return { entrypoint, cmd };
}

/** The image's own starts: ENTRYPOINT when set (its program), else CMD. */
export function imageStarts(image: Image): StartSpec[] {
  const { entrypoint, cmd } = effectiveStart(image.dockerfile, image.stage);
  const out: StartSpec[] = [];
  const spec = (e: ExecSpec, via: ScriptVia): StartSpec => ({
    via,
    argv: e.form === 'exec' ? e.argv : null,
    shellText: e.form === 'shell' ? e.text : null,
    refLoc: loc(image.dockerfile.path, e.instr.range),
  });
  if (entrypoint) out.push(spec(entrypoint, 'ENTRYPOINT'));
  // CMD names a script too when there is no ENTRYPOINT, or when the ENTRYPOINT is a wrapper (`tini --`).
  if (cmd && (!entrypoint || isWrapperOnly(entrypoint))) out.push(spec(cmd, 'CMD'));
  return out;
}

function isWrapperOnly(e: ExecSpec): boolean {
  if (e.form !== 'exec' || e.argv.length === 0) return false;
  const b = baseName(e.argv[0]);
  if (!Object.hasOwn(WRAPPERS, b)) return false;
  return e.argv.slice(1).every((a) => a.startsWith('-'));
}

/**
 * The script a start runs, as a program word: unwraps init/privilege wrappers and explicit
 * interpreters (`["sh", "/entrypoint.sh"]`). Returns null when the start runs no file (e.g.
 * `["uvicorn", ...]` is still returned: the caller decides whether a COPY provides it).
 */
export function scriptWord(start: StartSpec): { program: string; interpreter: string | null } | null {
  let argv = start.argv;
  if (!argv) {
    const t = (start.shellText ?? '').trim();
    if (!t) return null;
    // shell form: follow the first word (after `exec`) of the command line.
    const words = t.split(/\s+/);
    argv = words[0] === 'exec' ? words.slice(1) : words;
  }
  let i = 0;
  let interpreter: string | null = null;
  while (i < argv.length) {
    const b = baseName(argv[i]);
    if (Object.hasOwn(WRAPPERS, b)) {
      i++;
      let skip = WRAPPERS[b];
      while (i < argv.length && (argv[i].startsWith('-') || (b === 'env' && /^[A-Za-z_]\w*=/.test(argv[i])) || skip > 0)) {
        if (!argv[i].startsWith('-') && !(b === 'env' && argv[i].includes('='))) skip--;
        i++;
      }
      continue;
    }
    if (SHELLS.has(b)) {
      // `sh -c "..."`: the inline body is the program; `sh script.sh`: the script.
      const rest = argv.slice(i + 1);
      const c = rest.indexOf('-c');
      if (c >= 0) {
        const body = rest[c + 1] ?? '';
        const words = body.trim().split(/\s+/);
        const w = words[0] === 'exec' ? words[1] : words[0];
        return w ? { program: w, interpreter: null } : null;
      }
      const script = rest.find((a) => !a.startsWith('-'));
      if (!script) return null;
      interpreter = b;
      return { program: script, interpreter };
    }
    return { program: argv[i], interpreter };
  }
  return null;
}

/** Candidate paths of a program inside the image. */
export function imagePaths(program: string, stage: Stage, df: DockerfileModel): string[] {
  if (program.includes('$')) return [];
  if (program.startsWith('/')) return [posix.normalize(program)];
  const workdir = stage.workdir ?? '/';
  if (program.includes('/')) return [posix.normalize(posix.join(workdir, program))];
  const pathVar = stageChain(df, stage)
    .map((s) => s.vars.get('PATH'))
    .find((v) => v !== undefined);
  const path = pathVar?.value ?? DEFAULT_PATH;
  return path
    .split(':')
    .filter(Boolean)
    .map((d) => posix.join(d, program));
}

export interface CopySource {
  /** Repository path of the file (relative to the scanned root). */
  repoPath: string;
  copy: CopyInstr;
}

/**
 * The COPY/ADD (latest first) in the stage chain that produces `imagePath`, followed through
 * `--from` stages to a file of the build context. `isDir(p)` tells whether a context-relative
 * path is a folder in the context.
 */
export function findSource(
  df: DockerfileModel,
  stage: Stage,
  imagePath: string,
  contextDir: string,
  isFile: (contextRel: string) => boolean,
  depth = 0,
): CopySource | null {
  if (depth > 8) return null;
  const chain = stageChain(df, stage);
  for (const s of chain) {
    for (let i = s.copies.length - 1; i >= 0; i--) {
      const c = s.copies[i];
      if (!c.dest || c.heredoc) continue;
      const workdir = s.workdir ?? '/';
      const destRaw = c.dest.value;
      const dest = posix.normalize(destRaw.startsWith('/') ? destRaw : posix.join(workdir, destRaw)).replace(/(.)\/+$/, '$1');
      const destIsDir = destRaw.endsWith('/') || c.sources.length > 1;
      for (const src of c.sources) {
        const srcPath = src.value.replace(/^\.\//, '').replace(/\/$/, '');
        const candidates: string[] = [];
        if (!destIsDir && (imagePath === dest || imagePath === posix.join(dest, baseName(srcPath)))) {
          // `COPY entrypoint.sh /usr/local/bin/entrypoint.sh`, or a file into an existing folder
          candidates.push(imagePath === dest ? srcPath : srcPath);
        }
        if (imagePath.startsWith(`${dest}/`) || (dest === '/' && imagePath.startsWith('/'))) {
          const rel = dest === '/' ? imagePath.slice(1) : imagePath.slice(dest.length + 1);
          if (baseName(srcPath) === rel || posix.basename(srcPath) === rel) candidates.push(srcPath);
          // directory copy: COPY scripts/ /usr/local/bin/ → scripts/<rel>
          candidates.push(srcPath === '.' || srcPath === '' ? rel : posix.join(srcPath, rel));
        }
        for (const cand of candidates) {
          if (c.fromStage !== null) {
            const from = df.stages[c.fromStage];
            const inner = findSource(df, from, posix.normalize(cand.startsWith('/') ? cand : posix.join(from.workdir ?? '/', cand)), contextDir, isFile, depth + 1);
            if (inner) return inner;
            continue;
          }
          if (c.from !== null) continue; // --from an external image
          const rel = posix.normalize(cand);
          if (isFile(rel)) return { repoPath: posix.normalize(posix.join(contextDir || '.', rel)), copy: c };
        }
      }
    }
  }
  return null;
}

/** How the Dockerfile makes a path executable: `COPY --chmod` with an x bit, or `RUN chmod +x|755 <path>`. */
export function chmodFor(df: DockerfileModel, stage: Stage, imagePath: string, copy: CopyInstr | null): { how: string; range: Range } | null {
  if (copy?.chmod && /^[0-7]{3,4}$/.test(copy.chmod) && /[1357]/.test(copy.chmod.slice(-3))) {
    return { how: `\`COPY --chmod=${copy.chmod}\``, range: copy.instr.range };
  }
  if (copy?.chmod && /\+x|[ugoa]*\+[rw]*x/.test(copy.chmod)) return { how: `\`COPY --chmod=${copy.chmod}\``, range: copy.instr.range };
  for (const s of stageChain(df, stage)) {
    for (const r of s.runs) {
      for (const cmd of r.script?.commands ?? []) {
        if (baseName(cmd.name) !== 'chmod') continue;
        const args = cmd.args.map((a) => a.value);
        const mode = args.find((a) => !a.startsWith('-') || /^-[rwxXst]+$/.test(a) === false ? /^([0-7]{3,4}|[ugoa]*[+=][rwxXst]*x[rwxXst]*)$/.test(a) : false);
        if (!mode) continue;
        if (/^[0-7]+$/.test(mode) && !/[1357]/.test(mode.slice(-3))) continue;
        const recursive = args.includes('-R') || args.includes('--recursive');
        const targets = args.filter((a) => a !== mode && !a.startsWith('-'));
        const wd = s.workdir ?? '/';
        for (const t of targets) {
          const abs = posix.normalize(t.startsWith('/') ? t : posix.join(wd, t));
          const glob = abs.includes('*') ? new RegExp(`^${abs.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`) : null;
          if (abs === imagePath || glob?.test(imagePath) || (recursive && imagePath.startsWith(`${abs}/`))) {
            return { how: `\`chmod ${mode}\``, range: cmd.range };
          }
        }
      }
    }
  }
  return null;
}
