import type { ShellWord } from '../../model/shell.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass } from '../_util.js';
import { type Call, calls, isPythonName, span, tokens, within } from './_commands.js';

const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'http', 'https']);

type Kind = 'shell' | 'python' | 'perl' | 'ruby' | 'node' | 'php';

function interpreter(name: string): Kind | null {
  if (/^(sh|bash|zsh|ash|dash|ksh|mksh|yash)$/.test(name)) return 'shell';
  if (isPythonName(name)) return 'python';
  if (/^perl(\d[\d.]*)?$/.test(name)) return 'perl';
  if (/^ruby(\d[\d.]*)?$/.test(name)) return 'ruby';
  if (name === 'node' || name === 'nodejs') return 'node';
  if (/^php(\d[\d.]*)?$/.test(name)) return 'php';
  return null;
}

interface Spec {
  /** Short options whose value (attached or next word) is program text. */
  code: string;
  codeLong?: string[];
  /** Short options that run a module or library instead of a program (`python -m`). */
  module?: string;
  /** Short options whose value is a script file (`php -f file`). */
  file?: string;
  /** Short and long options that take a value. */
  valueShort: string;
  valueLong?: string[];
}

const SPECS: Record<Exclude<Kind, 'shell'>, Spec> = {
  python: { code: 'c', module: 'm', valueShort: 'WX' },
  perl: { code: 'eE', valueShort: '' },
  ruby: { code: 'e', valueShort: 'rICE' },
  node: {
    code: 'ep',
    codeLong: ['--eval', '--print'],
    valueShort: 'r',
    valueLong: ['--require', '--import', '--loader', '--experimental-loader'],
  },
  php: { code: 'rBRFE', file: 'f', valueShort: 'dcz' },
};

/** Where an interpreter takes its program from. */
interface Program {
  from: 'stdin' | 'code' | 'file' | 'module';
  /** The word holding the program text or file, when there is one. */
  word: ShellWord | null;
}

function program(kind: Kind, args: ShellWord[]): Program {
  let shellCode = false;
  let shellStdin = false;
  let optsDone = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    const v = w.value;
    const isOpt = !optsDone && v.length > 1 && (v[0] === '-' || (kind === 'shell' && v[0] === '+'));
    if (!optsDone && v === '--') {
      optsDone = true;
      continue;
    }
    if (isOpt) {
      if (v.startsWith('--')) {
        if (kind === 'shell') {
          if (v === '--rcfile' || v === '--init-file') i++;
          continue;
        }
        const spec = SPECS[kind];
        const eq = v.indexOf('=');
        const name = eq > 0 ? v.slice(0, eq) : v;
        if (spec.codeLong?.includes(name)) return { from: 'code', word: eq > 0 ? w : (args[i + 1] ?? null) };
        if (eq < 0 && spec.valueLong?.includes(name)) i++;
        continue;
      }
      for (let j = 1; j < v.length; j++) {
        const l = v[j];
        const last = j === v.length - 1;
        if (kind === 'shell') {
          if (l === 'c' && v[0] === '-') shellCode = true;
          else if (l === 's') shellStdin = true;
          else if (l === 'o' || l === 'O') {
            if (last) i++;
            break;
          }
          continue;
        }
        const spec = SPECS[kind];
        if (spec.code.includes(l)) return { from: 'code', word: last ? (args[i + 1] ?? null) : w };
        if (spec.module?.includes(l)) return { from: 'module', word: null };
        if (spec.file?.includes(l)) return { from: 'file', word: last ? (args[i + 1] ?? null) : w };
        if (spec.valueShort.includes(l)) {
          if (last) i++;
          break;
        }
      }
      continue;
    }
    if (kind === 'shell' && shellCode) return { from: 'code', word: w };
    if (kind === 'shell' && shellStdin) return { from: 'stdin', word: null };
    if (v === '-' || v === '/dev/stdin') return { from: 'stdin', word: w };
    return { from: 'file', word: w };
  }
  if (shellCode) return { from: 'code', word: null };
  return { from: 'stdin', word: null };
}

/** How a command runs code it is given: `bash`, `python3`, also `source`/`.`/`eval`. */
function reader(c: Call): { kind: Kind | 'source' | 'eval'; prog: Program } | null {
  if (c.name === 'eval') return { kind: 'eval', prog: { from: 'code', word: null } };
  if (c.name === 'source' || c.name === '.') {
    const w = c.args[0] ?? null;
    return { kind: 'source', prog: { from: w && w.value !== '/dev/stdin' ? 'file' : 'stdin', word: w } };
  }
  const kind = interpreter(c.name);
  return kind ? { kind, prog: program(kind, c.args) } : null;
}

const VERIFIERS = new Set([
  'sha256sum',
  'sha512sum',
  'sha384sum',
  'sha224sum',
  'sha1sum',
  'shasum',
  'md5sum',
  'b2sum',
  'cksum',
  'gpg',
  'gpg2',
  'gpgv',
  'cosign',
  'minisign',
  'signify',
  'openssl',
  'rpm',
  'slsa-verifier',
]);

/** The file a downloader writes (`curl -o f`, `curl --output f`, `wget -O f`), null for stdout or the remote name. */
function outputFile(c: Call): string | null {
  if (c.name === 'curl') {
    for (const t of tokens(c.args, {
      shortValue: 'AbcCdDEeFHKmoPQrTtuUwXxYyz',
      longValue: new Set([
        '--output',
        '--header',
        '--data',
        '--user',
        '--request',
        '--proxy',
        '--config',
        '--write-out',
        '--retry',
        '--max-time',
        '--connect-timeout',
      ]),
    })) {
      if ((t.kind === 'short' && t.letter === 'o') || (t.kind === 'long' && t.name === '--output'))
        return t.value && t.value !== '-' ? t.value : null;
    }
  }
  if (c.name === 'wget') {
    for (const t of tokens(c.args, {
      shortValue: 'OoaPeUtTwQ',
      longValue: new Set(['--output-document', '--directory-prefix', '--user-agent', '--header', '--tries', '--timeout']),
    })) {
      if ((t.kind === 'short' && t.letter === 'O') || (t.kind === 'long' && t.name === '--output-document'))
        return t.value && t.value !== '-' ? t.value : null;
    }
  }
  return null;
}

const SCRIPT_FILE = /\.(sh|bash|zsh|py|pl|rb|js|mjs|php)$/;
const samePath = (a: string, b: string) => a.replace(/^\.\//, '') === b.replace(/^\.\//, '');

const MESSAGE = (what: string) =>
  `${what} runs a script straight from the network: whoever controls that URL or the path to it runs code in your build, and nothing records what ran. Download it to a file, verify its SHA-256 checksum or signature, then run it.`;

const rule: Rule = {
  meta: {
    id: 'dockerfile/no-remote-script',
    title: 'No remote script piped into an interpreter',
    severity: 'high',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: [],
    rationale:
      '`curl https://... | sh` (and `wget -O- ... | bash`, `bash <(curl ...)`, `sh -c "$(curl ...)"`, `curl ... | python3`, or `curl -o i.sh ... && sh i.sh` with no checksum or signature check in between) executes whatever the server returns at build time, as root, with no integrity check: a compromised host, a hijacked domain or DNS, a man in the middle on a misconfigured proxy, or a half-downloaded script all end up running in your image, and the next build may run something different from the last one. Every stage is judged, since a build stage can poison the artifacts it hands over. Interpreters that only read data from the pipe (`python3 -c ...`, `node -e ...`, `perl -ne ...`) are not flagged.',
    fix: 'Download the script (or better, a release artifact) to a file, check it against a pinned SHA-256 (`echo "<sha256>  install.sh" | sha256sum -c -`) or its signature, then run it; or use `ADD --checksum=sha256:...`.',
    examples: {
      bad: { file: 'Dockerfile', content: 'FROM debian:bookworm-slim\nRUN curl -fsSL https://example.com/install.sh | sh\n' },
      good: {
        file: 'Dockerfile',
        content:
          'FROM debian:bookworm-slim\nARG INSTALL_SHA256=0000000000000000000000000000000000000000000000000000000000000000\nRUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\\n    && echo "$INSTALL_SHA256  /tmp/install.sh" | sha256sum -c - \\\n    && sh /tmp/install.sh && rm /tmp/install.sh\n',
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const image of project.images) {
      const df = image.dockerfile;
      const fails: RawResult[] = [];
      for (const stage of df.stages) {
        for (const run of stage.runs) {
          const script = run.script;
          if (!script) continue;
          const cs = calls(script);
          const downloads = cs.filter((c) => DOWNLOADERS.has(c.name));
          if (downloads.length === 0) continue;
          // curl ... | sh, wget -O- ... | sudo bash, curl ... | tee x | python3
          for (const members of script.pipelines) {
            for (let k = 1; k < members.length; k++) {
              const r = reader(cs[members[k]]);
              if (r?.prog.from !== 'stdin' || r.kind === 'eval') continue;
              const dl = members
                .slice(0, k)
                .map((m) => cs[m])
                .find((c) => DOWNLOADERS.has(c.name));
              if (!dl) continue;
              const head = cs[members[0]];
              const tail = cs[members[members.length - 1]];
              fails.push(
                fail(
                  image.name,
                  loc(df.path, span(head.cmd.range, tail.cmd.range)),
                  MESSAGE(`\`${dl.name} … | ${cs[members[k]].cmd.text}\``),
                ),
              );
              break;
            }
          }
          // curl -o /tmp/i.sh URL && sh /tmp/i.sh (or ./i.sh), with no checksum or signature check before the run
          cs.forEach((d, i) => {
            const file = outputFile(d);
            if (!file) return;
            for (let j = i + 1; j < cs.length; j++) {
              const c = cs[j];
              if (VERIFIERS.has(c.name)) return;
              const r = reader(c);
              const runsFile =
                r && r.kind !== 'eval' && r.prog.from === 'file' && r.prog.word !== null && samePath(r.prog.word.value, file);
              const execsFile =
                c.nameWord !== null &&
                samePath(c.nameWord.value, file) &&
                SCRIPT_FILE.test(file) &&
                (file.includes('/') || c.nameWord.value.startsWith('./'));
              if (!runsFile && !execsFile) continue;
              fails.push(
                fail(
                  image.name,
                  loc(df.path, c.cmd.range),
                  `\`${c.cmd.text.split('\n')[0]}\` runs a script just downloaded by \`${d.name}\` without checking its checksum or signature: whoever controls that URL runs code in your build. Verify it first (\`echo "<sha256>  ${file}" | sha256sum -c -\`), then run it.`,
                ),
              );
              return;
            }
          });
          // bash <(curl ...), sh -c "$(curl ...)", python3 <(curl ...), eval "$(curl ...)", source <(curl ...)
          const fetchedIn = (w: ShellWord) => downloads.some((d) => d.cmd.inSubstitution && within(d.cmd.range, w.range));
          for (const c of cs) {
            const r = reader(c);
            if (!r) continue;
            const words =
              r.kind === 'eval' ? c.args : r.prog.word && (r.prog.from === 'code' || r.prog.from === 'file') ? [r.prog.word] : [];
            const w = words.find(fetchedIn);
            if (!w) continue;
            fails.push(fail(image.name, loc(df.path, c.cmd.range), MESSAGE(`\`${c.cmd.text.split('\n')[0]}\``)));
          }
        }
      }
      if (fails.length) out.push(...fails);
      else out.push(pass(image.name, fromLoc(image), 'no remote script piped into an interpreter', 'no `curl | sh`'));
    }
    return out;
  },
};

export default rule;
