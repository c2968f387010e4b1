import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CONTEXT_FILE_CAP, discover, MAX_TEXT_BYTES } from '../../src/discover/index.js';
import { cleanup, git, gitInit, tmpDir, writeTree } from './helpers.js';

afterAll(cleanup);
afterEach(() => {
  vi.restoreAllMocks();
});

/** Paths of every readdir call made while `fn` runs. */
async function readdirCalls<T>(fn: () => Promise<T>): Promise<{ result: T; dirs: string[] }> {
  const dirs: string[] = [];
  const orig = fs.promises.readdir;
  vi.spyOn(fs.promises, 'readdir').mockImplementation(((p: fs.PathLike, o: unknown) => {
    dirs.push(String(p));
    return (orig as (p: fs.PathLike, o: unknown) => Promise<unknown>).call(fs.promises, p, o);
  }) as typeof fs.promises.readdir);
  const result = await fn();
  return { result, dirs };
}

describe('classification', () => {
  it('finds each kind of file, in dot-folders too, sorted', async () => {
    const root = tmpDir();
    writeTree(root, {
      Dockerfile: '',
      dockerfile: '',
      'Dockerfile.prod': '',
      'Dockerfile.dockerignore': '',
      'api.Dockerfile': '',
      'worker.dockerfile': '',
      Containerfile: '',
      'Containerfile.dev': '',
      '.devcontainer/Dockerfile': '',
      '.docker/compose.yaml': '',
      'compose.yaml': '',
      'compose.prod.yml': '',
      'docker-compose.yml': '',
      'docker-compose.override.yml': '',
      'docker-compose.prod.yaml': '',
      'docker-compose-sqlite.yml': '',
      'compose_v2.yaml': '',
      'compose.json': '',
      'not-compose.yml': '',
      'composer.yml': '',
      'docker-composer.yml': '',
      '.dockerignore': '',
      'web/.dockerignore': '',
      '.gitignore': '',
      'web/.gitignore': '',
      '.env': '',
      '.env.production': '',
      'config/app.env': '',
      '.envrc': '',
      '.github/workflows/ci.yml': '',
      '.github/workflows/release.yaml': '',
      '.github/workflows/README.md': '',
      '.github/dependabot.yml': '',
      '.gitlab-ci.yml': '',
      'sub/.gitlab-ci.yml': '',
      'seaworthy.yml': '',
      '.seaworthy.yml': '',
      'sub/seaworthy.yml': '',
      'node_modules/pkg/Dockerfile': '',
      'README.md': '',
    });
    const d = await discover(root);
    expect(d.rootIsFile).toBe(false);
    expect(d.root).toBe(root);
    expect(d.files).toEqual({
      dockerfiles: [
        '.devcontainer/Dockerfile',
        'Containerfile',
        'Containerfile.dev',
        'Dockerfile',
        'Dockerfile.prod',
        'api.Dockerfile',
        'dockerfile',
        'worker.dockerfile',
      ],
      compose: [
        '.docker/compose.yaml',
        'compose.prod.yml',
        'compose.yaml',
        'compose_v2.yaml',
        'docker-compose-sqlite.yml',
        'docker-compose.override.yml',
        'docker-compose.prod.yaml',
        'docker-compose.yml',
      ],
      dockerignores: ['.dockerignore', 'Dockerfile.dockerignore', 'web/.dockerignore'],
      gitignores: ['.gitignore', 'web/.gitignore'],
      envFiles: ['.env', '.env.production', 'config/app.env'],
      workflows: ['.github/workflows/ci.yml', '.github/workflows/release.yaml', '.gitlab-ci.yml'],
      configs: ['.seaworthy.yml', 'seaworthy.yml'],
      manifests: [],
      updateConfigs: ['.github/dependabot.yml'],
    });
    expect(d.errors).toEqual([]);
  });

  it('never enters .git or node_modules', async () => {
    const root = tmpDir();
    gitInit(root);
    writeTree(root, { 'node_modules/x/Dockerfile': '', Dockerfile: '' });
    const { result, dirs } = await readdirCalls(() => discover(root));
    expect(result.files.dockerfiles).toEqual(['Dockerfile']);
    expect(dirs.some((d) => d.includes(`${path.sep}.git`) || d.includes('node_modules'))).toBe(false);
  });
});

describe('single file as root', () => {
  it('takes the folder as root and lists only that file', async () => {
    const root = tmpDir();
    writeTree(root, { 'svc/Dockerfile.prod': 'FROM x\n', 'svc/compose.yaml': '', 'svc/build.txt': '', 'svc/stack.yml': '' });
    const d = await discover(path.join(root, 'svc/Dockerfile.prod'));
    expect(d.rootIsFile).toBe(true);
    expect(d.root).toBe(path.join(root, 'svc'));
    expect(d.files.dockerfiles).toEqual(['Dockerfile.prod']);
    expect(d.files.compose).toEqual([]);
    expect(d.readText('Dockerfile.prod')).toEqual({ text: 'FROM x\n' });
    // Unknown names passed explicitly: YAML is compose, anything else a Dockerfile.
    expect((await discover(path.join(root, 'svc/build.txt'))).files.dockerfiles).toEqual(['build.txt']);
    expect((await discover(path.join(root, 'svc/stack.yml'))).files.compose).toEqual(['stack.yml']);
  });

  it('throws for a path that does not exist', async () => {
    await expect(discover(path.join(tmpDir(), 'missing'))).rejects.toThrow(/cannot scan/);
  });
});

describe('bad input', () => {
  it('reports symlink loops and keeps going', async () => {
    const root = tmpDir();
    writeTree(root, { 'a/Dockerfile': '', 'b/Dockerfile': '' });
    fs.symlinkSync('..', path.join(root, 'a/up')); // folder loop
    fs.symlinkSync('.', path.join(root, 'a/self'));
    fs.symlinkSync('Dockerfile.loop', path.join(root, 'Dockerfile.loop')); // link to itself
    const d = await discover(root);
    expect(d.files.dockerfiles).toEqual(['a/Dockerfile', 'b/Dockerfile']);
    const byFile = new Map(d.errors.map((e) => [e.file, e.message]));
    expect(byFile.get('a/up')).toMatch(/loop/);
    expect(byFile.get('a/self')).toMatch(/loop/);
    expect(byFile.get('Dockerfile.loop')).toMatch(/loop/);
    expect(d.readText('Dockerfile.loop')).toEqual({ error: expect.stringMatching(/ELOOP/) });
  });

  it('follows a symlinked folder inside the root once, and never one that leaves the root', async () => {
    const root = tmpDir();
    const outside = tmpDir();
    writeTree(outside, { Dockerfile: 'FROM outside\n', 'secret.txt': 'x' });
    writeTree(root, { 'real/Dockerfile': '', '.gitignore': 'generated/\n', 'generated/Dockerfile': '' });
    fs.symlinkSync('real', path.join(root, 'alias'));
    fs.symlinkSync('generated', path.join(root, 'gen-link'));
    fs.symlinkSync(outside, path.join(root, 'ext'));
    fs.symlinkSync(path.join(outside, 'Dockerfile'), path.join(root, 'Dockerfile'));
    const d = await discover(root);
    // `alias` is the same folder as `real`: listed once. `gen-link` is not ignored itself: walked.
    expect(d.files.dockerfiles).toEqual(['gen-link/Dockerfile', 'real/Dockerfile']);
    const byFile = new Map(d.errors.map((e) => [e.file, e.message]));
    expect(byFile.get('ext')).toMatch(/outside the scanned root/);
    expect(byFile.get('Dockerfile')).toMatch(/outside the scanned root/);
    expect(d.readText('Dockerfile')).toEqual({ error: expect.stringMatching(/outside the scanned root/) });
    expect(d.readText('ext/secret.txt')).toEqual({ error: expect.stringMatching(/outside the scanned root/) });
    expect(d.readText('../x')).toEqual({ error: expect.stringMatching(/outside the scanned root/) });

    const allowed = await discover(root, { allowOutsideRoot: true });
    expect(allowed.files.dockerfiles).toContain('Dockerfile');
    expect(allowed.readText('Dockerfile')).toEqual({ text: 'FROM outside\n' });
    expect(allowed.readText(path.relative(root, path.join(outside, 'Dockerfile')))).toEqual({ text: 'FROM outside\n' });
  });

  it('reads through symlinked folders by where they lead: inside the root read, outside refused, at any depth', async () => {
    const base = tmpDir();
    const outside = tmpDir();
    writeTree(outside, { 'deep/secret.env': 'TOKEN=x\n' });
    writeTree(base, { 'repo/real/sub/Dockerfile': 'FROM inside\n', 'repo/a/b/keep.txt': '' });
    const root = path.join(base, 'repo');
    fs.symlinkSync('../../real', path.join(root, 'a/b/up')); // a folder link below another folder
    fs.symlinkSync(outside, path.join(root, 'a/b/out'));
    fs.symlinkSync(root, path.join(base, 'repo-link')); // the root itself reached through a link
    for (const r of [root, path.join(base, 'repo-link')]) {
      const d = await discover(r);
      expect(d.readText('a/b/up/sub/Dockerfile')).toEqual({ text: 'FROM inside\n' });
      expect(d.readText('real/sub/Dockerfile')).toEqual({ text: 'FROM inside\n' });
      expect(d.readText('a/b/out/deep/secret.env')).toEqual({ error: expect.stringMatching(/outside the scanned root/) });
      expect(d.readText('a/b/missing/x')).toEqual({ error: 'cannot read: ENOENT (no such file or directory)' });
      expect(d.readText('a/b/keep.txt/x')).toEqual({ error: 'cannot read: ENOTDIR (not a directory)' });
    }
  });

  it('lists a binary Dockerfile but readText refuses it', async () => {
    const root = tmpDir();
    writeTree(root, { Dockerfile: Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x00, 0xff, 0xfe]) });
    const d = await discover(root);
    expect(d.files.dockerfiles).toEqual(['Dockerfile']);
    expect(d.readText('Dockerfile')).toEqual({ error: expect.stringMatching(/binary/) });
  });

  it('refuses files over 2 MiB', async () => {
    const root = tmpDir();
    writeTree(root, { Dockerfile: Buffer.alloc(MAX_TEXT_BYTES + 1, 0x41), 'ok.Dockerfile': Buffer.alloc(MAX_TEXT_BYTES, 0x41) });
    const d = await discover(root);
    expect(d.readText('Dockerfile')).toEqual({ error: expect.stringMatching(/too large/) });
    const ok = d.readText('ok.Dockerfile');
    expect('text' in ok && ok.text.length).toBe(MAX_TEXT_BYTES);
  });

  it('reports an unreadable folder and still lists the rest', async () => {
    const root = tmpDir();
    writeTree(root, { 'locked/Dockerfile': '', 'open/Dockerfile': '' });
    const orig = fs.promises.readdir;
    vi.spyOn(fs.promises, 'readdir').mockImplementation(((p: fs.PathLike, o: unknown) => {
      if (String(p).endsWith(`${path.sep}locked`)) {
        return Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
      }
      return (orig as (p: fs.PathLike, o: unknown) => Promise<unknown>).call(fs.promises, p, o);
    }) as typeof fs.promises.readdir);
    const d = await discover(root);
    expect(d.files.dockerfiles).toEqual(['open/Dockerfile']);
    expect(d.errors).toEqual([{ file: 'locked', message: expect.stringMatching(/cannot read directory: EACCES/) }]);
  });

  it('reports a chmod 000 folder (as an unprivileged user: root reads anything)', async () => {
    const root = tmpDir();
    writeTree(root, { 'locked/Dockerfile': '', Dockerfile: '' });
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    try {
      let seen: { dockerfiles: string[]; errors: string[] };
      if (process.getuid?.() !== 0) {
        const d = await discover(root);
        seen = { dockerfiles: d.files.dockerfiles, errors: d.errors.map((e) => e.file) };
      } else {
        // As root (CI), run the same discovery as `nobody` in a child process.
        for (let dir = root; dir !== path.dirname(dir); dir = path.dirname(dir)) {
          if (dir.startsWith(path.resolve(process.env.TMPDIR ?? '/tmp')) && dir !== path.resolve(process.env.TMPDIR ?? '/tmp')) fs.chmodSync(dir, 0o755);
        }
        const src = pathToFileURL(path.join(import.meta.dirname, '../../src/discover/index.ts')).href;
        const script = `import { discover } from ${JSON.stringify(src)}; const d = await discover(${JSON.stringify(root)}); console.log(JSON.stringify({ dockerfiles: d.files.dockerfiles, errors: d.errors.map((e) => e.file) }));`;
        const out = execFileSync(
          'setpriv',
          ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script],
          { cwd: path.join(import.meta.dirname, '../..'), encoding: 'utf8' },
        );
        seen = JSON.parse(out.trim().split('\n').pop() as string);
      }
      expect(seen.dockerfiles).toEqual(['Dockerfile']);
      expect(seen.errors).toEqual(['locked']);
    } finally {
      fs.chmodSync(path.join(root, 'locked'), 0o755);
    }
  });

  it('readText refuses folders and FIFOs without blocking', async () => {
    const root = tmpDir();
    writeTree(root, { Dockerfile: 'FROM x\n' });
    fs.mkdirSync(path.join(root, 'dir.Dockerfile'));
    execFileSync('mkfifo', [path.join(root, 'fifo.Dockerfile')]);
    const d = await discover(root);
    expect(d.files.dockerfiles).toEqual(['Dockerfile']);
    expect(d.readText('dir.Dockerfile')).toEqual({ error: expect.stringMatching(/directory/) });
    expect(d.readText('fifo.Dockerfile')).toEqual({ error: expect.stringMatching(/not a regular file/) });
    expect(d.readText('missing')).toEqual({ error: expect.stringMatching(/ENOENT/) });
  });

  it('readText drops a BOM and caches', async () => {
    const root = tmpDir();
    writeTree(root, { Dockerfile: '\ufeffFROM x\n' });
    const d = await discover(root);
    const first = d.readText('Dockerfile');
    expect(first).toEqual({ text: 'FROM x\n' });
    expect(d.readText('Dockerfile')).toBe(first);
  });
});

describe('--exclude', () => {
  it('neither lists nor enters nor reads excluded paths', async () => {
    const root = tmpDir();
    writeTree(root, {
      Dockerfile: '',
      'vendor/lib/Dockerfile': '',
      'test/fixtures/bad/Dockerfile': '',
      'test/unit/Dockerfile': '',
      'old.skip.Dockerfile': '',
      '.env.skip.env': '',
    });
    const { result: d, dirs } = await readdirCalls(() => discover(root, { exclude: ['vendor/', './test/fixtures/**', '*.skip.*'] }));
    expect(d.files.dockerfiles).toEqual(['Dockerfile', 'test/unit/Dockerfile']);
    expect(d.files.envFiles).toEqual([]); // excluded wins over the .env exception
    // `test/fixtures/**` matches what is inside the folder, so only the folder itself is listed.
    expect(dirs.filter((p) => p.includes('vendor') || p.includes('fixtures'))).toEqual([path.join(root, 'test/fixtures')]);
    const readSpy = vi.spyOn(fs, 'openSync');
    expect(d.readText('vendor/lib/Dockerfile')).toEqual({ error: expect.stringMatching(/excluded/) });
    expect(d.readText('old.skip.Dockerfile')).toEqual({ error: expect.stringMatching(/excluded/) });
    expect(readSpy).not.toHaveBeenCalled();
  });
});

describe('.env files', () => {
  it('lists gitignored .env files with their git status', async () => {
    const root = tmpDir();
    gitInit(root);
    writeTree(root, {
      '.gitignore': '.env\n*.local\nsecrets/\n',
      '.env': 'SECRET=1\n',
      '.env.example': 'SECRET=\n',
      '.env.local': '',
      'svc/prod.env': 'X=1\n',
      'svc/example.env': '',
      'secrets/.env': '', // inside an ignored folder: not entered
      Dockerfile: '',
    });
    git(root, 'add', '.gitignore', '.env.example', 'svc/prod.env');
    const readFile = vi.spyOn(fs.promises, 'readFile');
    const d = await discover(root);
    expect(d.envFiles).toEqual([
      { path: '.env', isExample: false, tracked: false, gitignored: true },
      { path: '.env.example', isExample: true, tracked: true, gitignored: false },
      { path: '.env.local', isExample: false, tracked: false, gitignored: true },
      { path: 'svc/example.env', isExample: true, tracked: false, gitignored: false },
      { path: 'svc/prod.env', isExample: false, tracked: true, gitignored: false },
    ]);
    expect(d.files.envFiles).toEqual(d.envFiles.map((e) => e.path));
    // Discovery never reads .env files.
    expect(readFile.mock.calls.map((c) => String(c[0])).filter((p) => /\.env/.test(path.basename(p)))).toEqual([]);
  });

  it('reports tracked as null without git, and handles a single .env file root', async () => {
    const root = tmpDir();
    writeTree(root, { '.gitignore': '.env\n', '.env': '' });
    const d = await discover(root);
    expect(d.envFiles).toEqual([{ path: '.env', isExample: false, tracked: null, gitignored: true }]);
    const single = await discover(path.join(root, '.env'));
    expect(single.envFiles).toEqual([{ path: '.env', isExample: false, tracked: null, gitignored: true }]);
  });

  it('counts a .env in a gitignored scanned subfolder as gitignored', async () => {
    const root = tmpDir();
    gitInit(root);
    writeTree(root, { '.gitignore': 'deploy/\n', 'deploy/.env': '' });
    const d = await discover(path.join(root, 'deploy'));
    expect(d.envFiles).toEqual([{ path: '.env', isExample: false, tracked: false, gitignored: true }]);
  });
});

describe('git', () => {
  it('reads tracked files and modes from the index, relative to the scanned root', async () => {
    const root = tmpDir();
    gitInit(root);
    writeTree(root, { Dockerfile: '', 'app/entrypoint.sh': '#!/bin/sh\n', 'app/Dockerfile': '', 'other/x': '' });
    git(root, 'add', '-A');
    git(root, 'update-index', '--chmod=+x', 'app/entrypoint.sh');
    git(root, 'update-index', '--index-version', '4');
    const d = await discover(root);
    expect(d.git?.topLevel).toBe(root);
    expect(d.git?.tracked.get('app/entrypoint.sh')).toBe(0o100755);
    expect(d.git?.tracked.get('Dockerfile')).toBe(0o100644);

    const sub = await discover(path.join(root, 'app'));
    expect(sub.git?.topLevel).toBe(root);
    expect([...(sub.git?.tracked.keys() ?? [])].sort()).toEqual(['Dockerfile', 'entrypoint.sh']);
  });

  it('is null outside a checkout and empty before the first add', async () => {
    const plain = tmpDir();
    writeTree(plain, { Dockerfile: '' });
    expect((await discover(plain)).git).toBeNull();
    const fresh = tmpDir();
    gitInit(fresh);
    const d = await discover(fresh);
    expect(d.git?.tracked.size).toBe(0);
    expect(d.errors).toEqual([]);
  });

  it('follows a `.git` file (linked worktree) and its common dir', async () => {
    const base = tmpDir();
    const main = path.join(base, 'main');
    fs.mkdirSync(main);
    gitInit(main);
    writeTree(main, { Dockerfile: '', 'only-in-wt.Dockerfile': '' });
    git(main, 'add', 'Dockerfile');
    git(main, 'commit', '-q', '-m', 'init');
    git(main, 'worktree', 'add', '-q', path.join(base, 'wt'));
    fs.appendFileSync(path.join(main, '.git', 'info', 'exclude'), '\nlocal.Dockerfile\n');
    writeTree(path.join(base, 'wt'), { 'new.Dockerfile': '', 'local.Dockerfile': '' });
    git(path.join(base, 'wt'), 'add', 'new.Dockerfile');
    const d = await discover(path.join(base, 'wt'));
    expect(d.git?.topLevel).toBe(path.join(base, 'wt'));
    expect([...(d.git?.tracked.keys() ?? [])].sort()).toEqual(['Dockerfile', 'new.Dockerfile']);
    expect(d.files.dockerfiles).toEqual(['Dockerfile', 'new.Dockerfile']); // info/exclude of the common dir applies
  });

  it('reports a corrupt index and keeps going', async () => {
    const root = tmpDir();
    gitInit(root);
    writeTree(root, { Dockerfile: '' });
    fs.writeFileSync(path.join(root, '.git', 'index'), 'garbage');
    const d = await discover(root);
    expect(d.files.dockerfiles).toEqual(['Dockerfile']);
    expect(d.git?.tracked.size).toBe(0);
    expect(d.errors).toEqual([{ file: '.git/index', message: expect.stringMatching(/cannot parse the git index/) }]);
  });

  it('never runs the git binary (no process APIs in discovery)', () => {
    const dir = path.join(import.meta.dirname, '../../src/discover');
    for (const file of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/child_process|worker_threads|process\.binding/);
    }
  });
});

describe('buildContext', () => {
  function makeContextRepo(): string {
    const root = tmpDir();
    gitInit(root);
    writeTree(root, {
      '.gitignore': '.env\ndist/\n',
      '.env': 'SECRET=1\n',
      'dist/bundle.js': '',
      'node_modules/pkg/index.js': '',
      'backend/Dockerfile': '',
      'backend/Dockerfile.dockerignore': '# the winner\n\n*\n!src\n',
      'backend/.dockerignore': 'ignored-rules\n',
      'backend/src/index.js': '',
      'backend/.env': '',
      'backend/package.json': JSON.stringify({
        dependencies: { express: '1', pg: '1' },
        optionalDependencies: { fsevents: '1' },
        devDependencies: { vitest: '1' },
        scripts: { start: 'node src/index.js', bad: 3 },
      }),
      'web/Dockerfile': '',
      'web/.dockerignore': 'node_modules\n*.md\n**/.env\n',
      'web/README.md': '',
      'web/docs/README.md': '',
      'web/sub/.env': '',
      'web/package.json': '{ not json',
      Dockerfile: '',
    });
    return root;
  }

  it('lists everything docker would send, names only', async () => {
    const root = makeContextRepo();
    const d = await discover(root);
    const ctx = d.buildContext('.', 'Dockerfile');
    expect(ctx.dir).toBe('.');
    expect(ctx.truncated).toBe(false);
    expect(ctx.files).toContain('.env'); // gitignored, still sent
    expect(ctx.files).toContain('dist/bundle.js');
    expect(ctx.files).toContain('.git'); // recorded, not entered
    expect(ctx.files).toContain('node_modules');
    expect(ctx.files.some((f) => f.startsWith('.git/') || f.startsWith('node_modules/'))).toBe(false);
    expect(ctx.files).toEqual([...ctx.files].sort());
    expect(ctx.dockerignore).toBeNull();
    expect(ctx.isIgnored('.env')).toBe(false);
    expect(ctx.packageJson).toBeNull();
  });

  it('prefers <Dockerfile>.dockerignore over <context>/.dockerignore', async () => {
    const root = makeContextRepo();
    const d = await discover(root);
    const ctx = d.buildContext('backend', 'backend/Dockerfile');
    expect(ctx.dir).toBe('backend');
    expect(ctx.dockerignore).toEqual({ path: 'backend/Dockerfile.dockerignore', patterns: ['*', '!src'] });
    expect(ctx.isIgnored('.env')).toBe(true);
    expect(ctx.isIgnored('src/index.js')).toBe(false);
    expect(ctx.files).toEqual(['.dockerignore', '.env', 'Dockerfile', 'Dockerfile.dockerignore', 'package.json', 'src/index.js']);
    expect(ctx.packageJson).toEqual({
      dependencies: ['express', 'fsevents', 'pg'],
      devDependencies: ['vitest'],
      scripts: { start: 'node src/index.js' },
    });
    // Same Dockerfile from another context: the Dockerfile's own .dockerignore still wins.
    expect(d.buildContext('.', 'backend/Dockerfile').dockerignore?.path).toBe('backend/Dockerfile.dockerignore');
  });

  it('anchors dockerignore patterns to the context root', async () => {
    const root = makeContextRepo();
    const d = await discover(root);
    const ctx = d.buildContext('./web/', 'web/Dockerfile');
    expect(ctx.dockerignore?.path).toBe('web/.dockerignore');
    expect(ctx.isIgnored('README.md')).toBe(true);
    expect(ctx.isIgnored('docs/README.md')).toBe(false);
    expect(ctx.isIgnored('sub/.env')).toBe(true);
    expect(ctx.packageJson).toBeNull(); // invalid JSON
  });

  it('memoizes per (context, Dockerfile)', async () => {
    const d = await discover(makeContextRepo());
    expect(d.buildContext('web', 'web/Dockerfile')).toBe(d.buildContext('web/', './web/Dockerfile'));
    expect(d.buildContext('web', 'web/Dockerfile')).not.toBe(d.buildContext('web', 'Dockerfile'));
  });

  it('does not list a context outside the root unless allowed', async () => {
    const base = tmpDir();
    writeTree(base, { 'shared/Dockerfile': '', 'shared/.env': '', 'app/compose.yaml': '' });
    const d = await discover(path.join(base, 'app'));
    const ctx = d.buildContext('../shared', '../shared/Dockerfile');
    expect(ctx.files).toEqual([]);
    expect(d.errors).toEqual([{ file: '../shared', message: expect.stringMatching(/outside the scanned root/) }]);
    const allowed = await discover(path.join(base, 'app'), { allowOutsideRoot: true });
    expect(allowed.buildContext('../shared', '../shared/Dockerfile').files).toEqual(['.env', 'Dockerfile']);
  });

  it('honours --exclude and does not follow symlinks', async () => {
    const root = tmpDir();
    writeTree(root, { Dockerfile: '', 'vendor/big/file': '', 'real/x': '' });
    fs.symlinkSync('real', path.join(root, 'link'));
    const d = await discover(root, { exclude: ['vendor'] });
    expect(d.buildContext('.', 'Dockerfile').files).toEqual(['Dockerfile', 'link', 'real/x']);
  });

  it('finds a .dockerignore and package.json that --exclude covers, or that are symlinks, as before', async () => {
    const root = tmpDir();
    writeTree(root, {
      'app/Dockerfile': '',
      'app/.dockerignore': '*.md\n',
      'app/package.json': '{"dependencies":{"a":"1"}}',
      'shared/ignore': 'secret\n',
      'shared/pkg.json': '{"dependencies":{"b":"1"}}',
      'linked/Dockerfile': '',
    });
    fs.symlinkSync('../shared/ignore', path.join(root, 'linked/.dockerignore'));
    fs.symlinkSync('../shared/pkg.json', path.join(root, 'linked/package.json'));
    const d = await discover(root, { exclude: ['app/.dockerignore', 'app/package.json'] });
    const app = d.buildContext('app', 'app/Dockerfile');
    expect(app.files).toEqual(['Dockerfile']);
    expect(app.dockerignore).toBeNull();
    expect(app.packageJson).toBeNull();
    expect(d.errors).toEqual([{ file: 'app/.dockerignore', message: 'cannot read .dockerignore: excluded by --exclude; not read' }]);
    const linked = d.buildContext('linked', 'linked/Dockerfile');
    expect(linked.dockerignore).toEqual({ path: 'linked/.dockerignore', patterns: ['secret'] });
    expect(linked.packageJson?.dependencies).toEqual(['b']);
  });

  it('a name that differs only in case is what the file system says it is', async () => {
    const root = tmpDir();
    writeTree(root, { 'x/Dockerfile': '', 'x/PACKAGE.JSON': '{"dependencies":{"a":"1"}}', 'x/.DockerIgnore': 'a\n' });
    const d = await discover(root);
    const ctx = d.buildContext('x', 'x/Dockerfile');
    const caseInsensitive = fs.existsSync(path.join(root, 'x/package.json'));
    expect(ctx.packageJson === null).toBe(!caseInsensitive);
    expect(ctx.dockerignore === null).toBe(!caseInsensitive);
  });

  it(`caps the listing at ${CONTEXT_FILE_CAP} entries, keeping the shallowest`, async () => {
    const root = tmpDir();
    const many = path.join(root, 'a-many');
    fs.mkdirSync(many);
    for (let i = 0; i < CONTEXT_FILE_CAP; i++) fs.writeFileSync(path.join(many, `f${i}`), '');
    writeTree(root, { 'z.env': '', Dockerfile: '' });
    const d = await discover(root);
    const ctx = d.buildContext('.', 'Dockerfile');
    expect(ctx.truncated).toBe(true);
    expect(ctx.files.length).toBe(CONTEXT_FILE_CAP);
    expect(ctx.files).toContain('z.env');
    expect(ctx.files).toContain('Dockerfile');
  });
});
