/**
 * The path analysis of entrypoint scripts (src/model/script-paths.ts) and what fixture markers
 * cannot express for the entrypoint/ rules: results that must be absent, one result per script,
 * parse errors recorded as file errors, file modes surviving the fixture copy.
 */
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PathEnd, scriptPaths } from '../../src/model/script-paths.js';
import { initShell, parseShell } from '../../src/parse/shell.js';
import { checkCase, cleanup, FIXTURES, materialise, projectOf, runRule } from '../harness.js';

beforeAll(async () => {
  await initShell();
});

const dirs: string[] = [];
function repo(files: Record<string, string>, modes: Record<string, number> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'seaworthy-ep-'));
  dirs.push(dir);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), c, { mode: modes[p] ?? 0o644 });
  }
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) cleanup(d);
});

function ends(text: string): PathEnd[] {
  return scriptPaths(parseShell(text, { line: 1, column: 1 }, { tree: true })).ends;
}
/** `verdict@line program` for each end, in line order. */
function summary(text: string): string[] {
  return ends(text).map((e) => `${e.verdict}@${e.cmd?.range.line ?? '-'}${e.program ? ` ${e.program.name ?? e.program.raw}` : ''}`);
}

describe('entrypoint/ path analysis', () => {
  it('follows if/elif/else: every branch, no fall-through when there is an else', () => {
    const s =
      '#!/bin/sh\nif [ "$1" = a ]; then exec a\nelif [ "$1" = b ]; then exec b\nelif [ "$1" = c ]; then exec c\nelse exec "$@"\nfi\nnode server.js\n';
    expect(summary(s)).toEqual(['exec@2 a', 'exec@3 b', 'exec@4 c', 'exec@5 "$@"']);
  });
  it('adds the fall-through of an if without else and of a case without *)', () => {
    expect(summary('#!/bin/sh\nif [ -n "$X" ]; then exec a; fi\nnode server.js\n')).toEqual(['exec@2 a', 'foreground@3 node']);
    expect(summary('#!/bin/sh\ncase "$1" in\n  a) exec a ;;\nesac\nuvicorn app\n')).toEqual(['exec@3 a', 'foreground@5 uvicorn']);
    expect(summary('#!/bin/sh\ncase "$1" in\n  a) exec a ;;\n  *) exec "$@" ;;\nesac\nuvicorn app\n')).toEqual(['exec@3 a', 'exec@4 "$@"']);
  });
  it('follows && and ||, treating the left of && as a test', () => {
    expect(summary('#!/bin/sh\n[ -n "$DEBUG" ] && exec node --inspect server.js || exec node server.js\n')).toEqual([
      'exec@2 node',
      'exec@2 node',
    ]);
    expect(summary('#!/bin/sh\ncheck_db && echo ready\nexec app\n')).toEqual(['exec@3 app']);
  });
  it('ends a path at exit, judging what ran before it', () => {
    expect(summary('#!/bin/sh\nif [ "$1" = help ]; then echo usage; exit 0; fi\nexec app\n')).toEqual(['short@2', 'exec@3 app']);
    expect(summary('#!/bin/sh\ngunicorn app\nexit $?\n')).toEqual(['foreground@2 gunicorn']);
  });
  it('inlines called functions, stops at return, and survives recursion', () => {
    const s =
      '#!/bin/sh\nstart() {\n  if [ -z "$1" ]; then return; fi\n  exec "$@"\n}\nloop() { loop; }\nloop\nstart "$@"\nexec uvicorn app\n';
    expect(summary(s)).toEqual(['exec@4 "$@"', 'exec@9 uvicorn']);
  });
  it('does not end a path at `exec` with only redirections, nor at an exec inside a subshell', () => {
    expect(summary('#!/bin/sh\nexec >/tmp/log 2>&1\nexec 3>&1\nexec app\n')).toEqual(['exec@4 app']);
    expect(summary('#!/bin/sh\n(umask 077; exec node server.js)\n')).toEqual(['foreground@2 node']);
  });
  it('treats setup steps as short and the last unknown program as the service', () => {
    expect(summary('#!/bin/sh\nalembic upgrade head\npython manage.py migrate\nnpm run migrate\nnginx -t\necho done\n')).toEqual([
      'short@-',
    ]);
    expect(summary('#!/bin/sh\n./bin/server --port 8080\necho stopped\n')).toEqual(['foreground@2 server']);
    expect(summary('#!/bin/sh\nnpm start\n')).toEqual(['foreground@2 npm']);
    expect(summary('#!/bin/sh\nuvicorn app 2>&1 | tee /tmp/log\n')).toEqual(['foreground@2 uvicorn']);
    expect(summary('#!/bin/sh\n"$@"\n')).toEqual(['foreground@2 "$@"']);
  });
  it('flags a dedicated server that blocks in the foreground even when the path goes on', () => {
    expect(summary('#!/bin/sh\nif [ "$1" = worker ]; then celery -A app worker; fi\nexec "$@"\n')).toEqual([
      'foreground@2 celery',
      'exec@3 "$@"',
    ]);
    expect(summary('#!/bin/sh\nuvicorn app\nexit 0\n')).toEqual(['foreground@2 uvicorn']);
    // runtimes and one-off server invocations before the exec are setup steps
    expect(summary('#!/bin/sh\nnode migrate.js\nmysqld --initialize-insecure\nexec node server.js\n')).toEqual(['exec@4 node']);
    // an error exit forgives an unknown client run before it
    expect(summary('#!/bin/sh\nif ! check; then psql -c "select 1"; exit 1; fi\nexec app\n')).toEqual(['short@2', 'exec@3 app']);
  });
  it('leaves a path that ends by sourcing another file undecided', () => {
    expect(summary('#!/bin/sh\n. /usr/local/bin/docker-entrypoint.sh vault server\n')).toEqual(['sourced@2']);
  });
  it('keeps the background flag of commands inside if and case bodies', () => {
    expect(
      summary(
        '#!/bin/sh\nif [ -n "$INIT" ]; then\n  "$@" --skip-networking &\n  pid=$!\nfi\ncase "$1" in\n  a) nginx & ;;\nesac\nexec "$@"\n',
      ),
    ).toEqual(['exec@9 "$@"']);
  });
  it('judges background jobs by wait and trap', () => {
    expect(summary('#!/bin/sh\nnode a.js &\nwait\n')).toEqual(['wait@3 node']);
    expect(summary("#!/bin/sh\ntrap 'kill -TERM $p' TERM\nnode a.js &\np=$!\nwait $p\n")).toEqual(['forwarded@5 node']);
    expect(summary('#!/bin/sh\nphp-fpm &\nexec nginx -g "daemon off;"\n')).toEqual(['exec@3 nginx']);
  });
  it('resolves exec "$@" against set --, unwrapping init and privilege wrappers', () => {
    const [e] = ends('#!/bin/sh\nset -- tini -- gosu app uvicorn app "$@"\nexec "$@"\n');
    expect(e.program?.name).toBe('uvicorn');
    expect(e.program?.drop).toEqual({ tool: 'gosu', user: 'app' });
    expect(e.program?.wrappers).toEqual(['tini', 'gosu']);
  });
  it.each([
    ['exec gosu app "$@"', 'gosu', 'app'],
    ['exec su-exec app:app "$@"', 'su-exec', 'app'],
    ['exec setpriv --reuid=1001 --regid=1001 --init-groups "$@"', 'setpriv', '1001'],
    ['exec setpriv --reuid app --regid app --clear-groups -- "$@"', 'setpriv', 'app'],
    ['exec chroot --userspec=app:app / "$@"', 'chroot', 'app'],
    ['exec runuser -u app -- "$@"', 'runuser', 'app'],
    ['exec s6-setuidgid app "$@"', 's6-setuidgid', 'app'],
  ])('reads the privilege drop of `%s`', (line, tool, user) => {
    const [e] = ends(`#!/bin/sh\n${line}\n`);
    expect(e.program?.drop).toEqual({ tool, user });
  });
  it('does not count a drop to root', () => {
    const [e] = ends('#!/bin/sh\nexec gosu root "$@"\n');
    expect(e.program?.drop).toBeNull();
  });
  it('marks the non-dropping side of a UID test as reached only when not root', () => {
    const e = ends('#!/bin/sh\nif [ "$(id -u)" = 0 ]; then\n  exec gosu app "$@"\nfi\nexec "$@"\n');
    expect(e.map((x) => [x.cmd?.range.line, x.rootGuarded])).toEqual([
      [3, false],
      [5, true],
    ]);
  });
});

describe('entrypoint/ rules on small repositories', () => {
  const df = 'FROM python:3.12-slim\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n';
  it('records a script that does not parse as a file error and still checks the rest', async () => {
    const dir = repo({ Dockerfile: df, 'entrypoint.sh': '#!/bin/sh\nset -e\nif [ "$1" = x ]; then\n  exec a\nexec "$@"\n' });
    const p = await projectOf(dir);
    expect(p.errors.some((e) => e.file === 'entrypoint.sh' && /syntax/.test(e.message))).toBe(true);
    expect((await runRule('entrypoint/exec-main-process', dir)).map((r) => r.status)).toEqual(['unknown']);
    expect((await runRule('entrypoint/fail-fast', dir)).map((r) => r.status)).toEqual(['pass']);
    expect((await runRule('entrypoint/executable', dir)).map((r) => r.status)).toEqual(['pass']);
  });
  it('judges a script used by two images once for the script rules, per image for the image rules', async () => {
    const script = '#!/bin/bash\nset -e\nexec "$@"\n';
    const dir = repo({
      'api/Dockerfile': 'FROM python:3.12-slim\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
      'api/entrypoint.sh': script,
      'docker-compose.yml':
        'services:\n  api:\n    build: ./api\n  worker:\n    build:\n      context: ./api\n      dockerfile: Dockerfile.alpine\n',
      'api/Dockerfile.alpine': 'FROM python:3.12-alpine\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
    });
    expect((await runRule('entrypoint/exec-main-process', dir)).map((r) => [r.status, r.target])).toEqual([['pass', 'api/entrypoint.sh']]);
    const interp = await runRule('entrypoint/interpreter-available', dir);
    expect(interp.map((r) => r.status).sort()).toEqual(['fail', 'pass']);
    expect(interp.find((r) => r.status === 'fail')?.message).toContain('api/Dockerfile.alpine');
  });
  it('does not judge argument passing for a script that only runs as CMD', async () => {
    const dir = repo({
      Dockerfile: 'FROM python:3.12-slim\nCOPY --chmod=755 start.sh /start.sh\nCMD ["/start.sh"]\n',
      'start.sh': '#!/bin/sh\nset -e\nexec uvicorn app.main:app\n',
    });
    expect(await runRule('entrypoint/args-passthrough', dir)).toEqual([]);
  });
  it('counts "$@" only where it is handed on, not where it is printed', async () => {
    const base = 'FROM python:3.12-slim\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n';
    const at = async (script: string) =>
      (await runRule('entrypoint/args-passthrough', repo({ Dockerfile: base, 'entrypoint.sh': script }))).map((r) => [
        r.status,
        r.location.line,
        r.location.column,
        r.location.endColumn,
      ]);
    expect(await at('#!/bin/sh\nlog() { echo "$@"; }\nlog start\nexec "$@"\n')).toEqual([['pass', 4, 6, 10]]);
    expect(await at('#!/bin/sh\necho "args: $@"\nexec gosu app "$@"\n')).toEqual([['pass', 3, 15, 19]]);
    expect(await at('#!/bin/sh\nARGS="$*"\necho "$ARGS"\nexec app\n')).toEqual([['fail', 4, 1, 9]]);
    expect(await at('#!/bin/sh\nARGS="$*"\nexec app $ARGS\n')).toEqual([['pass', 2, 1, 10]]);
  });
  it('keeps one executable result per script when two scripts share the place it is reported at', async () => {
    const files = (chmod: string) => ({
      Dockerfile: `FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\n${chmod}CMD ["python", "app.py"]\n`,
      'compose.yaml':
        'services:\n  web:\n    build: .\n    entrypoint: ["/app/web.sh"]\n  worker:\n    build: .\n    entrypoint: ["/app/worker.sh"]\n',
      'web.sh': '#!/bin/sh\nexec web "$@"\n',
      'worker.sh': '#!/bin/sh\nexec worker "$@"\n',
    });
    const got = async (chmod: string) =>
      (await runRule('entrypoint/executable', repo(files(chmod)))).map((r) => [r.status, r.target, r.location.line]);
    expect(await got('')).toEqual([
      ['fail', 'web.sh', 3],
      ['fail', 'worker.sh', 3],
    ]);
    expect(await got('RUN chmod +x /app/*.sh\n')).toEqual([
      ['pass', 'web.sh', 4],
      ['pass', 'worker.sh', 4],
    ]);
  });
  it('judges a non-shell script (a python shebang) for its interpreter and executable bit only', async () => {
    const dir = repo({
      Dockerfile: 'FROM node:20-alpine\nCOPY --chmod=755 entrypoint.py /entrypoint.py\nENTRYPOINT ["/entrypoint.py"]\n',
      'entrypoint.py': '#!/usr/bin/env python3\nimport os, sys\nos.execvp("node", ["node", "server.js"] + sys.argv[1:])\n',
    });
    expect((await runRule('entrypoint/interpreter-available', dir)).map((r) => [r.status, r.location.line])).toEqual([['fail', 1]]);
    expect((await runRule('entrypoint/executable', dir)).map((r) => r.status)).toEqual(['pass']);
    for (const id of ['entrypoint/exec-main-process', 'entrypoint/fail-fast', 'entrypoint/args-passthrough']) {
      expect(await runRule(id, dir)).toEqual([]);
    }
  });
  it('says an exec inside ( ... ) runs in a subshell, not that exec is missing', async () => {
    const dir = repo({
      Dockerfile: 'FROM python:3.12-slim\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
      'entrypoint.sh': '#!/bin/sh\nset -e\n(\n  cd /app\n  exec "$@"\n)\n',
    });
    const [r] = await runRule('entrypoint/exec-main-process', dir);
    expect([r.status, r.location.line]).toEqual(['fail', 5]);
    expect(r.message).toContain('inside `( … )` (line 3-6)');
    expect(r.message).toContain('Drop the parentheses');
    expect(r.message).not.toContain('without `exec`');
  });
  it('never takes a command that daemonises for the service, and reads tail -f and sleep infinity as keep-alives', () => {
    expect(summary("#!/bin/sh\nphp-fpm -D\nnginx -g 'daemon off;' &\nwait\n")).toEqual(['wait@4 nginx']);
    expect(summary('#!/bin/sh\nservice nginx start\n/etc/init.d/cron start\nmemcached -d\nredis-server --daemonize yes\n')).toEqual([
      'short@-',
    ]);
    expect(summary('#!/bin/sh\nredis-server --daemonize no\n')).toEqual(['foreground@2 redis-server']);
    expect(summary('#!/bin/sh\nservice nginx start\ntail -F /var/log/nginx/error.log\n')).toEqual(['foreground@3 tail']);
    expect(ends('#!/bin/sh\ntail -f /dev/null\n')[0].program?.keepAlive).toBe(true);
    expect(summary('#!/bin/sh\nservice nginx start\nsleep infinity\n')).toEqual(['foreground@3 sleep']);
    expect(ends('#!/bin/sh\nnginx &\nsleep inf\n')[0].program?.keepAlive).toBe(true);
    expect(summary('#!/bin/sh\nsleep 5\nexec app\n')).toEqual(['exec@3 app']);
    expect(summary('#!/bin/sh\ntail -n 5 /var/log/x.log\nexec app\n')).toEqual(['exec@3 app']);
  });
  it('reads the executable bit from the file mode outside git', async () => {
    const files = {
      Dockerfile: 'FROM python:3.12-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n',
      'entrypoint.sh': '#!/bin/sh\nexec "$@"\n',
    };
    expect((await runRule('entrypoint/executable', repo(files, { 'entrypoint.sh': 0o755 }))).map((r) => [r.status, r.evidence])).toEqual([
      ['pass', 'executable file mode'],
    ]);
    expect((await runRule('entrypoint/executable', repo(files))).map((r) => [r.status, r.location.line])).toEqual([['fail', 2]]);
  });
  it('keeps fixture file modes when the harness copies a case', () => {
    const dir = materialise(join(FIXTURES, 'entrypoint/executable/good-committed-executable'));
    try {
      expect(statSync(join(dir, 'docker-entrypoint.sh')).mode & 0o111).not.toBe(0);
    } finally {
      cleanup(dir);
    }
  });
  it('lets dockerfile/non-root-user pass only when every service path drops', async () => {
    const base = 'FROM python:3.12-slim\nCOPY --chmod=755 entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n';
    const drop = await runRule(
      'dockerfile/non-root-user',
      repo({ Dockerfile: base, 'entrypoint.sh': '#!/bin/sh\nset -e\nexec setpriv --reuid=1001 --regid=1001 --clear-groups "$@"\n' }),
    );
    expect(drop.map((r) => [r.status, r.evidence, r.location.file])).toEqual([
      ['pass', 'root, drops to `1001` with `exec setpriv`', 'entrypoint.sh'],
    ]);
    const partial = await runRule(
      'dockerfile/non-root-user',
      repo({ Dockerfile: base, 'entrypoint.sh': '#!/bin/sh\nif [ "$1" = web ]; then exec gosu app web; fi\nexec "$@"\n' }),
    );
    expect(partial.map((r) => r.status)).toEqual(['fail']);
    const noExec = await runRule(
      'dockerfile/non-root-user',
      repo({ Dockerfile: base, 'entrypoint.sh': '#!/bin/sh\ngosu app uvicorn app\n' }),
    );
    expect(noExec.map((r) => r.status)).toEqual(['fail']);
  });
  it('judges the script a compose entrypoint override names, not only the image ENTRYPOINT', async () => {
    const dir = repo({
      Dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN chmod +x bin/*.sh\nCMD ["python", "app.py"]\n',
      'app.py': '',
      'bin/worker.sh': '#!/bin/sh\nset -e\ncelery -A app worker\n',
      'docker-compose.yml': 'services:\n  worker:\n    build: .\n    entrypoint: ["/app/bin/worker.sh"]\n',
    });
    const res = await runRule('entrypoint/exec-main-process', dir);
    expect(res.map((r) => [r.status, r.location.file, r.location.line])).toEqual([['fail', 'bin/worker.sh', 3]]);
    expect((await runRule('entrypoint/executable', dir)).map((r) => [r.status, r.evidence])).toEqual([['pass', '`chmod +x`']]);
  });
});

describe('args-passthrough: where the pass points', () => {
  // The fixture's expect-evidence marker checks the evidence only; the pass must stand at the line
  // that hands the arguments on (`exec "$@"`), not at the log function's `echo "$@"` (line 6).
  it('points at `exec "$@"`, not at an echo of the arguments', async () => {
    const { results } = await checkCase('entrypoint/args-passthrough', 'good-logged-then-exec');
    expect(results.filter((r) => r.status === 'pass').map((r) => [r.location.line, r.location.column])).toEqual([[12, 6]]);
  });
});
