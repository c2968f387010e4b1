/**
 * Path analysis of entrypoint scripts: every way control can flow through a script's top level
 * (through `if`/`elif`/`else`, `case`, `&&`/`||`, loops, functions defined and called, `exit`,
 * `return`) and, for each path, the command that ends it. Shared by the `entrypoint/` rules (does the
 * service become PID 1?), `dockerfile/non-root-user` (does the script drop privileges?) and the
 * report ("`exec uvicorn` for proper PID 1"). Pure; memoized per parsed script.
 *
 * Model. The analysis walks the statement tree with a set of abstract states. A state remembers the
 * last *significant* foreground command (a command that is not a short builtin/utility or setup step
 * such as `echo`, `mkdir`, `chown`, `alembic upgrade head`), the background jobs started, whether a
 * `trap` on TERM is set and the arguments of the last `set --`. Conditions (`if` tests, the left side
 * of `&&`) run but never count as the service. A path ends:
 *   - at `exec PROGRAM` (well: the program replaces the shell and becomes PID 1);
 *   - at `exit`, or at the end of the script: well when the path ran only short commands; badly when
 *     its last significant command is a long-lived program run without `exec` (the shell stays PID 1
 *     and SIGTERM never reaches the program), or a `wait` on background jobs without a TERM trap;
 *     a `wait` with `trap ... TERM` set counts as forwarding signals.
 * An `if` without `else` and a `case` without a `*)` arm add a fall-through path. Loops are taken
 * zero or one time. Subshells `( ... )` run in a child, so `exec`/`exit` inside end only the subshell.
 * States that agree on everything that matters are merged, so the number of states stays small.
 */
import { lineStarts } from '../parse/lines.js';
import { baseName } from '../parse/shell.js';
import type { ScriptModel, ScriptUse } from './script.js';
import type { ShellCommand, ShellScript, Stmt } from './shell.js';

/** What a path's end means for PID 1. */
export type PathVerdict =
  /** `exec`s a program: it becomes PID 1. */
  | 'exec'
  /** ran only short commands (or exits without starting anything long-lived). */
  | 'short'
  /** background job + `wait` with a TERM trap: the shell forwards signals. */
  | 'forwarded'
  /** a long-lived program runs in the foreground without `exec`: the shell stays PID 1. */
  | 'foreground'
  /** `wait` on background jobs without a TERM trap: SIGTERM reaches only the shell. */
  | 'wait'
  /** ends by sourcing another file (`. /usr/local/bin/docker-entrypoint.sh`), which is not followed: undecided. */
  | 'sourced';

/** The program a command runs, after unwrapping `env`, `nohup`, `tini --`, `gosu user` and the like. */
export interface ProgramInfo {
  /** The program word as written (`uvicorn`, `/app/server`, `"$@"`, `$CMD`); '' when there is none. */
  raw: string;
  /** Basename of a literal program (`uvicorn`), null when the word is dynamic (`"$@"`, `$CMD`). */
  name: string | null;
  /** `"$@"`, `$@`, `$*`, `${@}`: the container's command (CMD or compose `command:`). */
  isArgs: boolean;
  /** A known long-lived server (`uvicorn`, `nginx`, `node`, `npm start`, ...). */
  knownServer: boolean;
  /** Wrappers in front of the program, as written (`gosu`, `tini`). */
  wrappers: string[];
  /** A privilege drop in front of the program (`gosu app`, `su-exec app:app`, `setpriv --reuid=app`). */
  drop: { tool: string; user: string } | null;
  /** The program is the script itself (`"$0"`, `"$BASH_SOURCE"`): a re-exec, usually after a drop. */
  selfReexec: boolean;
  /** `tail -f`, `sleep infinity`: runs forever only to keep the container up (the services run as daemons or in the background). */
  keepAlive?: true;
}

export interface PathEnd {
  verdict: PathVerdict;
  /** How the path ends: at an `exec`, an `exit`, or by running off the end of the script. */
  how: 'exec' | 'exit' | 'end';
  /**
   * The command that decides the verdict: the `exec`, the foreground program, the `wait`; for
   * `short`, the command that ends the path (`exit`), or null at the end of the script.
   */
  cmd: ShellCommand | null;
  /** exec / foreground: the program run (after resolving `exec "$@"` against a preceding `set --`). */
  program: ProgramInfo | null;
  /** wait / forwarded: the background job waited for. */
  background: ShellCommand | null;
  /** The last branch decision on the path, in words (`the \`else\` branch of the \`if\` on line 8`), when any. */
  via: string | null;
  /**
   * The path went through a side of an `if` that tests the UID (`[ "$(id -u)" = 0 ]`, `$EUID`)
   * while another side of that `if` drops privileges: it runs only when the script is not root.
   */
  rootGuarded: boolean;
}

export interface ScriptPaths {
  ends: PathEnd[];
  /** True when the analysis hit its limits (too many states or calls) and stopped following some paths. */
  truncated: boolean;
}

const MAX_STATES = 256;
const MAX_CALL_DEPTH = 12;
const MAX_STEPS = 20_000;

const memo = new WeakMap<ShellScript, ScriptPaths>();

/** A condition that tests which user runs the script. */
const UID_TEST = /\bid\s+-u\b|\$\{?E?UID\b|\bwhoami\b/;

/** Every path's end through the script's top level (memoized). Needs a script parsed with `{ tree: true }`. */
export function scriptPaths(script: ShellScript): ScriptPaths {
  const hit = memo.get(script);
  if (hit) return hit;
  const r = new Analysis(script).run();
  memo.set(script, r);
  return r;
}

/** Ends of paths that start something long-lived (the service), i.e. not `short`. */
function servicePathEnds(paths: ScriptPaths): PathEnd[] {
  return paths.ends.filter((e) => e.verdict !== 'short');
}

// ---------------------------------------------------------------------------------------------
// Command classification

/** A set of names from a whitespace-separated list (lines starting with `//` are comments). */
function words(list: string): Set<string> {
  return new Set(
    list
      .split('\n')
      .filter((l) => !l.trim().startsWith('//'))
      .join(' ')
      .split(/\s+/)
      .filter(Boolean),
  );
}

/** Builtins, coreutils and setup steps that finish quickly: never the service. */
const SHORT = words(`
  // builtins
  : . [ [[ alias break builtin cd command continue declare echo eval export false getopts hash let local popd
  printf pushd pwd read readonly return set shift shopt source test times trap true type typeset ulimit umask
  unalias unset
  // utilities
  awk base64 basename cat chgrp chmod chown cp cut date dirname du egrep env envsubst expr fgrep find gawk grep
  gunzip gzip head hostname id install jq kill killall ldconfig ln logger ls mawk md5sum mkdir mktemp mv nproc
  openssl pkill printenv ps readlink realpath rm rmdir rsync sed seq sha1sum sha256sum sleep sort stat sync tail
  tar tee timeout touch tr uname uniq unzip wc which whoami xargs yq zcat setcap sysctl update-ca-certificates
  c_rehash
  // users, packages, networking probes
  adduser addgroup deluser delgroup groupadd groupmod useradd usermod passwd chpasswd apk apt apt-get dpkg pip
  pip3 curl wget nc netcat ping getent nslookup dig pg_isready mysqladmin redis-cli psql mysql mongosh
  wait-for-it wait-for-it.sh wait-for wait-for.sh
  // migrations and other one-off setup steps
  alembic prisma knex sequelize sequelize-cli typeorm diesel migrate flyway liquibase goose dbmate atlas sqlx
  rake collectstatic crond cron update-alternatives
`);

/** Tools that start services as daemons and return (`service nginx start`, `/etc/init.d/x start`). */
const SERVICE_STARTERS = new Set(['service', 'rc-service', 'invoke-rc.d', 'systemctl', 'start-stop-daemon']);

/**
 * A command that starts a daemon and returns at once: `service x start`, `/etc/init.d/x start`,
 * `start-stop-daemon`, `php-fpm -D`, `memcached -d`, `gunicorn -D`/`--daemon`, `--daemonize` (php-fpm,
 * uwsgi; `redis-server --daemonize yes`). Not the service: the shell goes on at once.
 */
function daemonises(raw: string, name: string, rest: string[]): boolean {
  if (SERVICE_STARTERS.has(name) || /^\/etc\/(rc\.d\/)?init\.d\//.test(raw)) return true;
  const i = rest.findIndex((a) => a === '--daemonize' || a.startsWith('--daemonize='));
  if (i >= 0) {
    const v = rest[i].includes('=') ? rest[i].slice(rest[i].indexOf('=') + 1) : rest[i + 1];
    return !/^(no|false|0)$/i.test(v ?? '');
  }
  if (/^php-?fpm[0-9.]*$|^php[0-9.]+-fpm$/.test(name)) return rest.includes('-D');
  if (name === 'memcached') return rest.includes('-d');
  if (name === 'gunicorn') return rest.includes('-D') || rest.includes('--daemon');
  return false;
}

/** Commands that run forever only to keep the container up: `tail -f`/`-F`/`--follow`, `sleep infinity` (`inf`). */
function keepsAlive(name: string, rest: string[]): boolean {
  if (name === 'tail') return rest.some((a) => /^-[A-Za-z]*[fF]/.test(a) || a === '--follow' || a.startsWith('--follow='));
  if (name === 'sleep') return rest.length > 0 && rest.every((a) => /^inf(inity)?$/i.test(a));
  return false;
}

/** Long-lived servers and workers: the service when they run at the end of a path. */
const SERVERS = words(`
  uvicorn gunicorn hypercorn daphne granian waitress-serve celery dramatiq rq huey_consumer streamlit gradio
  node nodejs bun deno pm2-runtime java nginx httpd apache2-foreground apache2ctl apachectl php-fpm php-fpm7
  php-fpm8 php-fpm81 php-fpm82 php-fpm83 php-fpm84 frankenphp supervisord redis-server postgres mysqld mariadbd
  mongod caddy traefik haproxy envoy puma unicorn thin passenger dotnet python python3 ruby php perl next nuxt
  serve http-server memcached rabbitmq-server minio vault consul nats-server sidekiq rails
`);

/** Interpreters and runtimes: a run of one is often a one-off step (`node migrate.js`), so only the last command of a path counts. */
const GENERIC_RUNTIMES = words(`
  node nodejs bun deno java python python3 ruby php perl dotnet npm yarn pnpm npx pnpx bunx flask rails next nuxt serve
`);

/** Package runners and CLIs whose one-off invocations are setup steps unless they start a server. */
const RUNNERS = new Set(['npm', 'yarn', 'pnpm', 'npx', 'pnpx', 'bunx', 'flask', 'django-admin']);

/** Package-runner subcommands that start a server (`npm start`, `yarn dev`, `pnpm run serve`). */
const RUNNER_SERVER_SCRIPT = /^(start|serve|server|dev|prod|production|preview|start:.*|serve:.*)$/;

/** `name user program...` wrappers that switch user: how to read the user. */
const DROPS = new Set(['gosu', 'su-exec', 'setpriv', 'chroot', 'runuser', 's6-setuidgid', 'setuidgid', 'chpst']);
/** Wrappers that run their argument in place (`exec tini -- app`): the program is what follows. */
const PASS_THROUGH = new Set([
  'tini',
  'tini-static',
  'dumb-init',
  'docker-init',
  'catatonit',
  'env',
  'nohup',
  'nice',
  'ionice',
  'stdbuf',
  'setsid',
  'numactl',
  'taskset',
  'chrt',
]);

function isRootUser(u: string): boolean {
  const x = u.split(':')[0];
  return x === 'root' || /^0+$/.test(x);
}

function isArgsWord(raw: string): boolean {
  return /^"?\$(?:@|\*|\{@\}|\{\*\})"?$/.test(raw);
}

function isSelfWord(raw: string): boolean {
  return /^"?\$(?:0|\{0\}|BASH_SOURCE|\{BASH_SOURCE(?:\[0\])?\})"?$/.test(raw);
}

/** Reads the program behind wrappers in an argv (raw words as written; `value` without quotes). */
function unwrapProgram(words: { raw: string; value: string }[]): ProgramInfo & { rest: { raw: string; value: string }[] } {
  const wrappers: string[] = [];
  let drop: ProgramInfo['drop'] = null;
  let i = 0;
  const optValue = (w: string, opt: string): string | null => (w.startsWith(`${opt}=`) ? w.slice(opt.length + 1) : null);
  while (i < words.length) {
    const v = words[i].value;
    const b = baseName(v);
    if (PASS_THROUGH.has(b)) {
      wrappers.push(b);
      i++;
      while (i < words.length) {
        const a = words[i].value;
        if (a === '--') {
          i++;
          break;
        }
        if (b === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) {
          i++;
          continue;
        }
        if (a.startsWith('-')) {
          // options with a value: `nice -n 10`, `ionice -c 3`, `env -u X`, `taskset -c 0`
          if (/^-(n|c|u|C|p|s|e|g|k|w)$/.test(a) && b !== 'tini' && b !== 'dumb-init') i++;
          i++;
          continue;
        }
        if (b === 'taskset' || b === 'chrt') {
          i++; // mask / priority
          continue;
        }
        break;
      }
      continue;
    }
    if (DROPS.has(b)) {
      wrappers.push(b);
      i++;
      let user: string | null = null;
      if (b === 'gosu' || b === 'su-exec' || b === 's6-setuidgid' || b === 'setuidgid') {
        while (i < words.length && words[i].value.startsWith('-')) i++;
        user = words[i]?.raw ?? null;
        i++;
      } else if (b === 'setpriv') {
        while (i < words.length && words[i].value.startsWith('-')) {
          const a = words[i].value;
          const inline = optValue(a, '--reuid') ?? optValue(a, '--ruid') ?? optValue(a, '--euid');
          if (inline !== null) user = inline;
          else if ((a === '--reuid' || a === '--ruid' || a === '--euid') && i + 1 < words.length) {
            user = words[i + 1].value;
            i++;
          } else if (
            /^--(regid|rgid|egid|groups|inh-caps|ambient-caps|bounding-set|securebits|selinux-label|apparmor-profile|pdeathsig)$/.test(a)
          ) {
            i++;
          }
          i++;
        }
        if (words[i]?.value === '--') i++;
      } else if (b === 'chroot') {
        while (i < words.length && words[i].value.startsWith('-')) {
          const a = words[i].value;
          const inline = optValue(a, '--userspec');
          if (inline !== null) user = inline;
          else if (a === '--userspec' && i + 1 < words.length) {
            user = words[i + 1].value;
            i++;
          } else if (a === '--groups' && i + 1 < words.length) i++;
          i++;
        }
        i++; // NEWROOT
      } else if (b === 'runuser') {
        while (i < words.length && words[i].value.startsWith('-') && words[i].value !== '--') {
          const a = words[i].value;
          if ((a === '-u' || a === '--user') && i + 1 < words.length) {
            user = words[i + 1].value;
            i++;
          } else if ((a === '-g' || a === '-G' || a === '--group' || a === '--supp-group') && i + 1 < words.length) i++;
          i++;
        }
        if (words[i]?.value === '--') i++;
      } else if (b === 'chpst') {
        while (i < words.length && words[i].value.startsWith('-')) {
          const a = words[i].value;
          if (a === '-u' && i + 1 < words.length) {
            user = words[i + 1].value;
            i++;
          } else if (/^-[UebnlmdofcpL]$/.test(a) && i + 1 < words.length) i++;
          i++;
        }
      }
      if (user && !isRootUser(user.replace(/^["']|["']$/g, '')) && !drop) {
        drop = { tool: b, user: user.replace(/^["']|["']$/g, '').split(':')[0] };
      }
      continue;
    }
    break;
  }
  const w = words[i];
  if (!w) return { raw: '', name: null, isArgs: false, knownServer: false, wrappers, drop, selfReexec: false, rest: [] };
  const rest = words.slice(i + 1);
  const dynamic = w.raw.includes('$') || w.raw.includes('`');
  const name = dynamic ? null : baseName(w.value);
  return {
    raw: w.raw,
    name,
    isArgs: isArgsWord(w.raw),
    knownServer:
      name !== null &&
      isServer(
        name,
        rest.map((r) => r.value),
      ),
    wrappers,
    drop,
    selfReexec: isSelfWord(w.raw),
    rest,
  };
}

/** Whether `name args...` starts a long-lived server (as opposed to a one-off invocation of it). */
function isServer(name: string, args: string[]): boolean {
  if (args.some((a) => a === '--version' || a === '--help' || a === '-V')) return false;
  if (name === 'npm' || name === 'yarn' || name === 'pnpm' || name === 'bun') {
    const sub = args.find((a) => !a.startsWith('-'));
    if (sub === undefined) return false;
    if (name === 'bun' && /\.[cm]?[jt]sx?$/.test(sub)) return true;
    const script = sub === 'run' || sub === 'run-script' ? args.filter((a) => !a.startsWith('-'))[1] : sub;
    return script !== undefined && RUNNER_SERVER_SCRIPT.test(script);
  }
  if (name === 'npx' || name === 'pnpx' || name === 'bunx') {
    const inner = args.filter((a) => !a.startsWith('-'));
    return inner.length > 0 && isServer(baseName(inner[0]), inner.slice(1));
  }
  if (!SERVERS.has(name)) return false;
  if (name === 'nginx' || name === 'httpd' || name === 'apachectl' || name === 'apache2ctl') {
    return !args.some(
      (a) => a === '-t' || a === '-T' || a === '-s' || a === '-v' || a === 'configtest' || a === 'graceful' || a === 'stop',
    );
  }
  if (/^python[0-9.]*$/.test(name)) {
    if (args.includes('-c')) return false;
    const m = args.indexOf('-m');
    if (m >= 0) return !/^(alembic|pip|flask|django)$/.test(args[m + 1] ?? '') || (args[m + 1] === 'flask' && args.includes('run'));
    const file = args.find((a) => !a.startsWith('-'));
    if (file && /manage\.py$/.test(file))
      return args.some((a) => /^(runserver|run_gunicorn|runworker|celery|qcluster|rqworker|process_tasks)$/.test(a));
    return file !== undefined;
  }
  if (name === 'php') {
    if (args.includes('-r') || args.includes('-v') || args.includes('-m')) return false;
    if (args[0] === 'artisan')
      return /^(serve|octane:start|queue:work|queue:listen|horizon|schedule:work|reverb:start)$/.test(args[1] ?? '');
    return args.includes('-S') || args.some((a) => !a.startsWith('-'));
  }
  if (name === 'rails') return /^(s|server)$/.test(args[0] ?? '');
  if (name === 'next' || name === 'nuxt') return /^(start|dev|preview)$/.test(args[0] ?? '');
  if (name === 'celery') return !args.some((a) => /^(inspect|status|call|purge|control|result|report|shell|upgrade|migrate|list)$/.test(a));
  if (name === 'java') return !args.includes('-version');
  if (name === 'node' || name === 'nodejs' || name === 'bun' || name === 'deno' || name === 'ruby' || name === 'perl') {
    return !args.some((a) => a === '-e' || a === '--eval' || a === '-p' || a === '--print' || a === '-v');
  }
  if (name === 'dotnet') return !/^(ef|tool|--info|--list-sdks|--list-runtimes)$/.test(args[0] ?? '');
  if (name === 'mysqld' || name === 'mariadbd')
    return !args.some((a) => /^--(initialize|initialize-insecure|help|verbose|version|bootstrap)$/.test(a));
  if (name === 'postgres') return !args.some((a) => a === '--single' || a === '-C' || a === '--describe-config' || a === '--boot');
  if (name === 'redis-server') return !args.some((a) => a === '-v' || a === '--test-memory' || a === '--check-system');
  if (name.startsWith('php-fpm')) return !args.some((a) => /^-(t|tt|v|i|m|h)$/.test(a));
  return true;
}

/** Classification of a command in statement position: short (never the service) or a program run. */
function classifyCommand(cmd: ShellCommand): { short: true } | { short: false; program: ProgramInfo } {
  if (!cmd.nameWord) return { short: true };
  const words = [{ raw: cmd.nameWord.raw, value: cmd.nameWord.value }, ...cmd.args.map((a) => ({ raw: a.raw, value: a.value }))];
  const p = unwrapProgram(words);
  if (!p.raw) return { short: true };
  if (p.name !== null) {
    const rest = p.rest.map((r) => r.value);
    // It starts a daemon and returns at once: it is not the service, whatever runs next is.
    if (daemonises(p.raw, p.name, rest)) return { short: true };
    if (keepsAlive(p.name, rest)) {
      const { rest: _r, ...info } = p;
      return { short: false, program: { ...info, keepAlive: true } };
    }
    if (p.knownServer) return { short: false, program: p };
    // `wait-for-it db:5432 -- uvicorn ...`: what runs after `--` (wait-for-it execs it).
    if (/^wait-for(-it)?(\.sh)?$/.test(p.name)) {
      const dd = p.rest.findIndex((r) => r.value === '--');
      if (dd < 0 || dd === p.rest.length - 1) return { short: true };
      const inner = unwrapProgram(p.rest.slice(dd + 1));
      const { rest: _r, ...info } = inner;
      return inner.name !== null && SHORT.has(inner.name) ? { short: true } : { short: false, program: info };
    }
    if (SHORT.has(p.name)) return { short: true };
    // One-off invocations of servers and package runners (`npm run migrate`, `python manage.py migrate`, `nginx -t`).
    if (SERVERS.has(p.name) || RUNNERS.has(p.name)) {
      if (p.name === 'flask' && rest.includes('run')) return { short: false, program: { ...p, knownServer: true } };
      return { short: true };
    }
  }
  const { rest: _rest, ...info } = p;
  return { short: false, program: info };
}

// ---------------------------------------------------------------------------------------------
// The analysis

interface Sig {
  cmd: number;
  kind: 'foreground' | 'wait' | 'forwarded' | 'sourced';
  program: ProgramInfo | null;
  /** wait / forwarded: the background job. */
  bg: number | null;
  /** The branch decision that led to this command. */
  via: string | null;
}

interface State {
  last: Sig | null;
  bg: number[];
  trap: boolean;
  /** Raw words of the last `set --` (positional parameters), null when never set. */
  setArgs: { raw: string; value: string }[] | null;
  via: string | null;
  /** Set by `return` (and by `exit`/`exec` inside a subshell): skip the rest of the body. */
  ret: boolean;
  /** See PathEnd.rootGuarded. */
  guarded: boolean;
  /**
   * The first dedicated server (or the container's command) the path ran in the foreground: it
   * blocks, so the path is bad whatever follows (`uvicorn app; exit 0`, `celery worker` then `exec`).
   */
  server: Sig | null;
}

type Outcome = 'true' | 'false' | 'any';
interface Out {
  st: State;
  outcome: Outcome;
}

interface Ctx {
  /** Commands here are conditions: they run but are never the service. */
  cond: boolean;
  subshell: boolean;
  calls: string[];
}

function key(s: State): string {
  return [
    s.last ? `${s.last.kind}:${s.last.cmd}:${s.last.program?.raw ?? ''}` : '-',
    s.bg.join(','),
    s.trap ? 't' : '',
    s.setArgs ? s.setArgs.map((w) => w.raw).join('\u0001') : '-',
    s.ret ? 'r' : '',
    s.guarded ? 'g' : '',
    s.server ? `s${s.server.cmd}` : '',
  ].join('|');
}

function stmtLine(s: Stmt, commands: ShellCommand[]): number | null {
  switch (s.kind) {
    case 'cmd':
      return commands[s.cmd]?.range.line ?? null;
    case 'pipeline':
      return s.cmds.length ? commands[s.cmds[0]].range.line : null;
    case 'andor':
      return stmtLine(s.left, commands);
    case 'group':
      return s.body.length ? stmtLine(s.body[0], commands) : null;
    default:
      return s.range.line;
  }
}

class Analysis {
  private readonly cmds: ShellCommand[];
  private readonly funcs = new Map<string, Stmt[]>();
  private readonly ends: PathEnd[] = [];
  private readonly endKeys = new Set<string>();
  private truncated = false;
  private steps = 0;

  constructor(private readonly script: ShellScript) {
    this.cmds = script.commands;
    this.collectFuncs(script.stmts ?? []);
  }

  run(): ScriptPaths {
    const start: State = { last: null, bg: [], trap: false, setArgs: null, via: null, ret: false, guarded: false, server: null };
    const outs = this.seq(this.script.stmts ?? [], [{ st: start, outcome: 'any' }], { cond: false, subshell: false, calls: [] });
    for (const o of outs) this.finish(o.st, 'end', null);
    this.ends.sort((a, b) => (a.cmd?.range.line ?? Number.MAX_SAFE_INTEGER) - (b.cmd?.range.line ?? Number.MAX_SAFE_INTEGER));
    return { ends: this.ends, truncated: this.truncated };
  }

  private collectFuncs(stmts: Stmt[]): void {
    for (const s of stmts) {
      switch (s.kind) {
        case 'func':
          this.funcs.set(s.name, s.body);
          this.collectFuncs(s.body);
          break;
        case 'if':
          for (const b of s.branches) {
            this.collectFuncs(b.cond);
            this.collectFuncs(b.body);
          }
          if (s.orelse) this.collectFuncs(s.orelse);
          break;
        case 'case':
          for (const a of s.arms) this.collectFuncs(a.body);
          break;
        case 'loop':
        case 'group':
          this.collectFuncs(s.body);
          break;
        default:
          break;
      }
    }
  }

  /** Records the end of a path. */
  /** A program ran in the foreground: it is the path's last significant command (and its blocking server, if dedicated). */
  private ran(st: State, cmd: number, program: ProgramInfo): State {
    const sig: Sig = { cmd, kind: 'foreground', program, bg: null, via: st.via };
    const blocking = program.isArgs || (program.knownServer && program.name !== null && !GENERIC_RUNTIMES.has(program.name));
    return { ...st, last: sig, server: st.server ?? (blocking ? sig : null) };
  }

  /** A path ends at `exec`: well, unless a server already blocked in the foreground before it. */
  private endExec(st: State, c: ShellCommand, p: ProgramInfo): void {
    if (st.server) {
      this.finish(st, 'exec', null);
      return;
    }
    this.addEnd({ verdict: 'exec', how: 'exec', cmd: c, program: p, background: null, via: st.via, rootGuarded: st.guarded });
  }

  private finish(st: State, how: 'exec' | 'exit' | 'end', exitCmd: number | null): void {
    if (st.server) {
      const sv = st.server;
      this.addEnd({
        verdict: 'foreground',
        how,
        cmd: this.cmds[sv.cmd],
        program: sv.program,
        background: null,
        via: sv.via,
        rootGuarded: st.guarded,
      });
      return;
    }
    let last = st.last;
    if (last && exitCmd !== null) {
      // `exit` ends a path well unless a known server (or the container's command) ran in the
      // foreground before it; `exit 1` after a failed step is an error path, whatever ran before.
      const code = this.cmds[exitCmd].args[0];
      const failing = code !== undefined && !code.dynamic && /^[0-9]+$/.test(code.value) && code.value !== '0';
      const server = last.kind !== 'foreground' || !!last.program?.knownServer || !!last.program?.isArgs;
      if (failing || !server) last = null;
    }
    if (!last) {
      this.addEnd({
        verdict: 'short',
        how,
        cmd: exitCmd !== null ? this.cmds[exitCmd] : null,
        program: null,
        background: null,
        via: st.via,
        rootGuarded: st.guarded,
      });
      return;
    }
    this.addEnd({
      verdict: last.kind,
      how,
      cmd: this.cmds[last.cmd],
      program: last.program,
      background: last.bg !== null ? this.cmds[last.bg] : null,
      via: last.via,
      rootGuarded: st.guarded,
    });
  }

  private addEnd(e: PathEnd): void {
    const k = `${e.verdict}|${e.how}|${e.cmd ? this.cmds.indexOf(e.cmd) : -1}|${e.program?.raw ?? ''}|${e.program?.drop?.user ?? ''}|${e.rootGuarded}`;
    if (this.endKeys.has(k)) return;
    this.endKeys.add(k);
    this.ends.push(e);
  }

  private dedupe(outs: Out[]): Out[] {
    const seen = new Map<string, Out>();
    for (const o of outs) {
      const k = `${key(o.st)}#${o.outcome}`;
      if (!seen.has(k)) seen.set(k, o);
    }
    let r = [...seen.values()];
    if (r.length > MAX_STATES) {
      this.truncated = true;
      r = r.slice(0, MAX_STATES);
    }
    return r;
  }

  /** Runs statements in sequence; the outcome is the last statement's. */
  private seq(stmts: Stmt[], ins: Out[], ctx: Ctx): Out[] {
    let cur = ins;
    for (const s of stmts) {
      const next: Out[] = [];
      for (const o of cur) {
        if (o.st.ret) {
          next.push(o);
          continue;
        }
        next.push(...this.stmt(s, o.st, ctx));
      }
      cur = this.dedupe(next);
      if (cur.length === 0) break;
    }
    return cur;
  }

  private stmt(s: Stmt, st: State, ctx: Ctx): Out[] {
    if (++this.steps > MAX_STEPS) {
      this.truncated = true;
      return [{ st, outcome: 'any' }];
    }
    switch (s.kind) {
      case 'cmd':
        return this.command(s.cmd, s.background, st, ctx);
      case 'pipeline': {
        if (s.background)
          return [{ st: this.withBackground(st, s.cmds.find((i) => !classifyCommand(this.cmds[i]).short) ?? s.cmds[0]), outcome: 'any' }];
        if (ctx.cond) return [{ st, outcome: 'any' }];
        // Members run in subshells: the first one that is not short is the program the shell waits for.
        for (const i of s.cmds) {
          const c = this.cmds[i];
          const k = baseName(c.name) === 'exec' ? this.execProgram(c, st) : null;
          const cl = k ? { short: false as const, program: k } : classifyCommand(c);
          if (!cl.short) return [{ st: this.ran(st, i, cl.program), outcome: 'any' }];
        }
        return [{ st, outcome: 'any' }];
      }
      case 'andor': {
        const out: Out[] = [];
        // The left side of `&&` is a test; the left side of `||` runs for real (`server || echo failed`).
        const left = this.stmt(s.left, st, s.op === '&&' ? { ...ctx, cond: true } : ctx);
        for (const o of left) {
          if (o.st.ret) {
            out.push(o);
            continue;
          }
          const goesRight = s.op === '&&' ? o.outcome !== 'false' : o.outcome !== 'true';
          const skips = s.op === '&&' ? o.outcome !== 'true' : o.outcome !== 'false';
          if (goesRight) out.push(...this.stmt(s.right, o.st, ctx));
          if (skips) out.push({ st: o.st, outcome: s.op === '&&' ? 'false' : 'true' });
        }
        return out;
      }
      case 'if': {
        const out: Out[] = [];
        let reach: Out[] = [{ st, outcome: 'any' }];
        // `if [ "$(id -u)" = 0 ]; then ... exec gosu app "$@"; fi`: the sides that do not drop run only when not root.
        const guard =
          s.branches.some((b) => this.mentionsUid(b.cond)) &&
          (s.branches.some((b) => this.hasDrop(b.body)) || (s.orelse !== null && this.hasDrop(s.orelse)));
        const mark = (side: Stmt[], o: Out): Out =>
          guard && !this.hasDrop(side) ? { st: { ...o.st, guarded: true }, outcome: o.outcome } : o;
        s.branches.forEach((b, i) => {
          if (b.cond.length === 0 && b.body.length === 0) return;
          const line = (b.cond.length ? stmtLine(b.cond[0], this.cmds) : null) ?? s.range.line;
          const label = i === 0 ? `the \`if\` branch on line ${line}` : `the \`elif\` branch on line ${line}`;
          const conds = this.seq(b.cond, reach, { ...ctx, cond: true });
          const taken = conds
            .filter((o) => o.outcome !== 'false' && !o.st.ret)
            .map((o) => mark(b.body, { st: { ...o.st, via: label }, outcome: 'any' }));
          out.push(...conds.filter((o) => o.st.ret));
          out.push(...this.seq(b.body, taken, ctx));
          reach = conds.filter((o) => o.outcome !== 'true' && !o.st.ret);
        });
        if (s.orelse) {
          const label = `the \`else\` branch of the \`if\` on line ${s.range.line}`;
          const orelse = s.orelse;
          out.push(
            ...this.seq(
              orelse,
              reach.map((o) => mark(orelse, { st: { ...o.st, via: label }, outcome: 'any' })),
              ctx,
            ),
          );
        } else {
          const label = `the fall-through of the \`if\` on line ${s.range.line} (no \`else\`)`;
          out.push(...reach.map((o) => mark([], { st: { ...o.st, via: label }, outcome: 'any' })));
        }
        // Past the `if`, the branch taken is no longer where the path is.
        return out.map((o) => ({ st: { ...o.st, via: st.via }, outcome: o.outcome }));
      }
      case 'case': {
        const out: Out[] = [];
        let catchAll = false;
        for (const a of s.arms) {
          const pats = a.patterns.map((p) => p.trim());
          if (pats.some((p) => p === '*' || p === '*)')) catchAll = true;
          const label = `the \`${pats.join('|')})\` arm of the \`case\` on line ${s.range.line}`;
          out.push(...this.seq(a.body, [{ st: { ...st, via: label }, outcome: 'any' }], ctx));
        }
        if (!catchAll)
          out.push({ st: { ...st, via: `the fall-through of the \`case\` on line ${s.range.line} (no \`*)\` arm)` }, outcome: 'any' });
        return out.map((o) => ({ st: { ...o.st, via: st.via }, outcome: 'any' }));
      }
      case 'func':
        return [{ st, outcome: 'any' }];
      case 'loop': {
        // zero or one iteration
        const body = this.seq(s.body, [{ st, outcome: 'any' }], ctx);
        return [{ st, outcome: 'any' }, ...body.map((o) => ({ st: o.st, outcome: 'any' as Outcome }))];
      }
      case 'group': {
        if (s.background) {
          const first = this.firstProgram(s.body);
          return [{ st: first !== null ? this.withBackground(st, first) : st, outcome: 'any' }];
        }
        if (!s.subshell) return this.seq(s.body, [{ st, outcome: 'any' }], ctx);
        const inner = this.seq(s.body, [{ st, outcome: 'any' }], { ...ctx, subshell: true });
        return inner.map((o) => ({ st: { ...o.st, ret: false }, outcome: o.outcome }));
      }
      default:
        return [{ st, outcome: 'any' }];
    }
  }

  /** Whether conditions test the user the script runs as (`id -u`, `$EUID`, `$UID`, `whoami`). */
  private mentionsUid(stmts: Stmt[]): boolean {
    return stmts.some((s) => UID_TEST.test(this.textOf(s)));
  }

  /** Whether statements (and the functions they call) contain an `exec` that drops privileges. */
  private hasDrop(stmts: Stmt[], seen: Set<string> = new Set()): boolean {
    for (const s of stmts) {
      switch (s.kind) {
        case 'cmd': {
          const c = this.cmds[s.cmd];
          if (baseName(c.name) === 'exec' && c.args.length && unwrapProgram(c.args.map((a) => ({ raw: a.raw, value: a.value }))).drop)
            return true;
          const fn = this.funcs.get(c.name);
          if (fn && !seen.has(c.name)) {
            seen.add(c.name);
            if (this.hasDrop(fn, seen)) return true;
          }
          break;
        }
        case 'andor':
          if (this.hasDrop([s.left, s.right], seen)) return true;
          break;
        case 'if':
          if (s.branches.some((b) => this.hasDrop(b.body, seen)) || (s.orelse && this.hasDrop(s.orelse, seen))) return true;
          break;
        case 'case':
          if (s.arms.some((a) => this.hasDrop(a.body, seen))) return true;
          break;
        case 'group':
          if (!s.subshell && this.hasDrop(s.body, seen)) return true;
          break;
        default:
          break;
      }
    }
    return false;
  }

  /** The source text of a statement (from its parser range). */
  private textOf(s: Stmt): string {
    switch (s.kind) {
      case 'cmd':
        return this.cmds[s.cmd].text;
      case 'pipeline':
        return s.cmds.map((i) => this.cmds[i].text).join(' | ');
      case 'andor':
        return `${this.textOf(s.left)} ${s.op} ${this.textOf(s.right)}`;
      case 'group':
        return s.body.map((b) => this.textOf(b)).join('; ');
      default:
        return this.slice(s.range);
    }
  }

  private lineStarts: number[] | null = null;

  private slice(r: { line: number; column: number; endLine: number; endColumn: number }): string {
    if (!this.lineStarts) this.lineStarts = lineStarts(this.script.text);
    const ls = this.lineStarts;
    const at = (line: number, col: number) => (ls[line - 1] ?? 0) + col - 1;
    return this.script.text.slice(at(r.line, r.column), at(r.endLine, r.endColumn));
  }

  /** The first command that is not short in a list of statements (for background groups). */
  private firstProgram(stmts: Stmt[]): number | null {
    for (const s of stmts) {
      if (s.kind === 'cmd' && !classifyCommand(this.cmds[s.cmd]).short) return s.cmd;
      if (s.kind === 'pipeline') for (const i of s.cmds) if (!classifyCommand(this.cmds[i]).short) return i;
      if (s.kind === 'andor') {
        const l = this.firstProgram([s.right]) ?? this.firstProgram([s.left]);
        if (l !== null) return l;
      }
      if (s.kind === 'group') {
        const g = this.firstProgram(s.body);
        if (g !== null) return g;
      }
    }
    return null;
  }

  private withBackground(st: State, cmd: number): State {
    return { ...st, bg: st.bg.includes(cmd) ? st.bg : [...st.bg, cmd] };
  }

  /** The program `exec` runs (after `-a name`, `-c`, `-l`), resolving `exec "$@"` against `set --`; null for `exec >log 2>&1`. */
  private execProgram(c: ShellCommand, st: State): ProgramInfo | null {
    let i = 0;
    while (i < c.args.length && c.args[i].value.startsWith('-') && c.args[i].value !== '--') {
      if (c.args[i].value === '-a') i++;
      i++;
    }
    if (c.args[i]?.value === '--') i++;
    let words = c.args.slice(i).map((a) => ({ raw: a.raw, value: a.value }));
    if (words.length === 0) return null;
    if (st.setArgs && isArgsWord(words[0].raw)) {
      // `set -- gosu app "$@"` ... `exec "$@"`: the positional parameters as last set.
      words = [...st.setArgs, ...words.slice(1)];
      if (words.length === 0) return null;
    }
    const p = unwrapProgram(words);
    const { rest: _rest, ...info } = p;
    return info;
  }

  private command(i: number, background: boolean, st: State, ctx: Ctx): Out[] {
    const c = this.cmds[i];
    const name = baseName(c.name);
    if (background) {
      const cl = classifyCommand(c);
      return [{ st: cl.short && name !== 'exec' ? st : this.withBackground(st, i), outcome: 'any' }];
    }
    const fn = c.name ? this.funcs.get(c.name) : undefined;
    if (fn) {
      if (ctx.calls.includes(c.name) || ctx.calls.length >= MAX_CALL_DEPTH) {
        if (ctx.calls.length >= MAX_CALL_DEPTH) this.truncated = true;
        return [{ st, outcome: 'any' }];
      }
      const outs = this.seq(fn, [{ st, outcome: 'any' }], { ...ctx, calls: [...ctx.calls, c.name] });
      return outs.map((o) => ({ st: { ...o.st, ret: false, via: st.via }, outcome: o.outcome }));
    }
    switch (name) {
      case 'exit':
        if (ctx.subshell) return [{ st: { ...st, ret: true }, outcome: 'any' }];
        this.finish(st, 'exit', i);
        return [];
      case 'return':
        return [{ st: { ...st, ret: true }, outcome: 'any' }];
      case '.':
      case 'source':
        // Another file runs in this shell; it is not followed, so a path ending here is undecided.
        if (ctx.cond || c.args.length === 0) return [{ st, outcome: 'any' }];
        return [{ st: { ...st, last: { cmd: i, kind: 'sourced', program: null, bg: null, via: st.via } }, outcome: 'any' }];
      case 'exec': {
        const p = this.execProgram(c, st);
        if (!p) return [{ st, outcome: 'any' }];
        if (ctx.subshell) {
          return [
            {
              st: ctx.cond ? { ...st, ret: true } : { ...this.ran(st, i, p), ret: true },
              outcome: 'any',
            },
          ];
        }
        this.endExec(st, c, p);
        return [];
      }
      case 'eval': {
        const first = c.args[0]?.value.trim() ?? '';
        if (/^exec\s/.test(first) && !ctx.subshell) {
          const words = first
            .split(/\s+/)
            .slice(1)
            .map((w) => ({ raw: w, value: w.replace(/^["']|["']$/g, '') }));
          const { rest: _r, ...p } = unwrapProgram(words);
          this.endExec(st, c, p);
          return [];
        }
        return [{ st, outcome: 'any' }];
      }
      case 'set': {
        const dd = c.args.findIndex((a) => a.value === '--');
        if (dd >= 0) {
          const words = c.args.slice(dd + 1).map((a) => ({ raw: a.raw, value: a.value }));
          // `set -- "$@"` keeps them; `set -- x "$@"` prepends to what they were.
          const prev = st.setArgs;
          const expanded = prev ? words.flatMap((w) => (isArgsWord(w.raw) ? prev : [w])) : words;
          return [{ st: { ...st, setArgs: expanded }, outcome: 'any' }];
        }
        return [{ st, outcome: 'any' }];
      }
      case 'trap': {
        const sigs = c.args.slice(1).map((a) => a.value.toUpperCase());
        const handler = c.args[0]?.value ?? '';
        const term = sigs.some((x) => x === 'TERM' || x === 'SIGTERM' || x === '15');
        if (term && handler !== '' && handler !== '-') return [{ st: { ...st, trap: true }, outcome: 'any' }];
        return [{ st, outcome: 'any' }];
      }
      case 'wait': {
        if (st.bg.length === 0 || ctx.cond) return [{ st, outcome: 'any' }];
        const bg = st.bg[st.bg.length - 1];
        const prog = classifyCommand(this.cmds[bg]);
        return [
          {
            st: {
              ...st,
              last: { cmd: i, kind: st.trap ? 'forwarded' : 'wait', program: prog.short ? null : prog.program, bg, via: st.via },
            },
            outcome: 'any',
          },
        ];
      }
      case 'true':
      case ':':
        return [{ st, outcome: 'true' }];
      case 'false':
        return [{ st, outcome: 'false' }];
      default:
        break;
    }
    if (ctx.cond) return [{ st, outcome: 'any' }];
    const cl = classifyCommand(c);
    if (cl.short) return [{ st, outcome: 'any' }];
    return [{ st: this.ran(st, i, cl.program), outcome: 'any' }];
  }
}

// ---------------------------------------------------------------------------------------------
// Privilege drop (for `dockerfile/non-root-user`)

export interface PrivilegeDrop {
  /** `gosu`, `su-exec`, `setpriv`, `chroot`, `runuser`, `s6-setuidgid`. */
  tool: string;
  /** The user dropped to, as written (`app`, `$APP_USER`); a `user:group` spec is cut at the colon. */
  user: string;
  script: ScriptModel;
  /** The `exec` that drops (the first one in the script). */
  cmd: ShellCommand;
  /** The script re-executes itself as the user (`exec gosu redis "$0" "$@"`, the official images' pattern). */
  selfReexec: boolean;
}

/**
 * Whether the scripts an image starts with (its ENTRYPOINT/CMD; compose overrides are not the
 * image's own start) drop root on every path that starts the service: each such path ends with
 * `exec gosu|su-exec|setpriv|chroot --userspec|runuser -u|s6-setuidgid <user> ...`, or the script
 * re-executes itself as a non-root user. Null when there is no script, it does not parse, the
 * analysis was cut short, or some service path keeps root.
 */
export function privilegeDrop(uses: ScriptUse[]): PrivilegeDrop | null {
  const own = uses.filter((u) => u.via === 'ENTRYPOINT' || u.via === 'CMD');
  if (own.length === 0) return null;
  let first: PrivilegeDrop | null = null;
  for (const use of own) {
    const s = use.script.script;
    if (!s?.stmts || s.hasErrors) return null;
    const paths = scriptPaths(s);
    if (paths.truncated) return null;
    const service = servicePathEnds(paths);
    if (service.length === 0) return null;
    const self = service.find((e) => e.verdict === 'exec' && e.program?.drop && e.program.selfReexec);
    // Paths behind a UID test whose other side drops run only when the script is not root.
    const asRoot = service.filter((e) => !e.rootGuarded);
    const drops = self ? [self] : asRoot.length > 0 && asRoot.every((e) => e.verdict === 'exec' && e.program?.drop) ? asRoot : [];
    const d = drops[0];
    if (!d?.program?.drop || !d.cmd) return null;
    first ??= { tool: d.program.drop.tool, user: d.program.drop.user, script: use.script, cmd: d.cmd, selfReexec: !!self };
  }
  return first;
}
