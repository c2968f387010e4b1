/**
 * Loading compose projects: grouping files into projects and environments (RULES.md "Environments"),
 * `include` and `extends`, and bad input reported per file while the other files are still loaded.
 */
import { describe, expect, it } from 'vitest';
import { loadCompose, planProjects } from '../../src/compose/load.js';
import type { Environment } from '../../src/model/compose.js';
import { at, get } from '../../src/parse/yaml.js';
import { memSource, toPlain, y } from './helpers.js';

const envsOf = (files: string[], explicit?: Record<string, string[]>) =>
  planProjects(files, explicit).map((p) => ({
    dir: p.dir,
    envs: p.envs.map((e) => `${e.name}${e.isProd ? '*' : ''}=${e.files.join('+')}`),
  }));

describe('planProjects: projects and environments (* = judged as prod)', () => {
  it('base + override → dev; the base alone is prod', () => {
    expect(envsOf(['docker-compose.override.yml', 'docker-compose.yml'])).toEqual([
      { dir: '', envs: ['dev=docker-compose.yml+docker-compose.override.yml', 'prod*=docker-compose.yml'] },
    ]);
  });

  it('base + prod overlay → prod; dev is the base alone', () => {
    expect(envsOf(['docker-compose.yml', 'docker-compose.prod.yml'])).toEqual([
      { dir: '', envs: ['dev=docker-compose.yml', 'prod*=docker-compose.yml+docker-compose.prod.yml'] },
    ]);
  });

  it('base + override + prod overlay: dev and prod each get their own overlay', () => {
    expect(envsOf(['compose.yaml', 'compose.override.yaml', 'compose.production.yaml'])).toEqual([
      { dir: '', envs: ['dev=compose.yaml+compose.override.yaml', 'prod*=compose.yaml+compose.production.yaml'] },
    ]);
  });

  it('base alone → prod only', () => {
    expect(envsOf(['compose.yaml'])).toEqual([{ dir: '', envs: ['prod*=compose.yaml'] }]);
  });

  it('a deploy/docker-compose.prod.yml with no base beside it is its own project, judged as prod', () => {
    expect(envsOf(['docker-compose.yml', 'deploy/docker-compose.prod.yml'])).toEqual([
      { dir: '', envs: ['prod*=docker-compose.yml'] },
      { dir: 'deploy', envs: ['prod*=deploy/docker-compose.prod.yml'] },
    ]);
  });

  it('a lone overlay with a development name is a project of its own, not prod', () => {
    expect(envsOf(['dev/docker-compose.dev.yml'])).toEqual([{ dir: 'dev', envs: ['dev=dev/docker-compose.dev.yml'] }]);
  });

  it('docker-compose.test.yml is an extra environment (base + test), not prod', () => {
    expect(envsOf(['docker-compose.yml', 'docker-compose.override.yml', 'docker-compose.test.yml'])).toEqual([
      {
        dir: '',
        envs: [
          'dev=docker-compose.yml+docker-compose.override.yml',
          'prod*=docker-compose.yml',
          'test=docker-compose.yml+docker-compose.test.yml',
        ],
      },
    ]);
  });

  it('explicit environments from the config come first; their files are not grouped again', () => {
    const files = ['docker-compose.yml', 'ops/base.yml', 'ops/live.yml', 'other/compose.yaml'];
    expect(envsOf(files, { production: ['./ops/base.yml', 'ops/live.yml'], staging: ['ops/base.yml'] })).toEqual([
      { dir: 'ops', envs: ['production*=ops/base.yml+ops/live.yml', 'staging=ops/base.yml'] },
      { dir: '', envs: ['prod*=docker-compose.yml'] },
      { dir: 'other', envs: ['prod*=other/compose.yaml'] },
    ]);
  });

  it('a dashed prod name beside a base file is the prod overlay (`*prod*`), like the dotted one', () => {
    expect(envsOf(['docker-compose.yml', 'docker-compose-prod.yml'])).toEqual([
      { dir: '', envs: ['dev=docker-compose.yml', 'prod*=docker-compose.yml+docker-compose-prod.yml'] },
    ]);
    expect(envsOf(['compose.yaml', 'compose.override.yaml', 'compose_production.yaml'])).toEqual([
      { dir: '', envs: ['dev=compose.yaml+compose.override.yaml', 'prod*=compose.yaml+compose_production.yaml'] },
    ]);
  });

  it('other dashed names are variants of the stack, each judged alone: as prod unless named for development', () => {
    expect(envsOf(['n/docker-compose.yml', 'n/docker-compose-mariadb-redis.yml', 'n/docker-compose-sqlite.yml', 'n/docker-compose-dev.yml'])).toEqual([
      { dir: 'n', envs: ['prod*=n/docker-compose.yml'] },
      { dir: 'n', envs: ['dev=n/docker-compose-dev.yml'] },
      { dir: 'n', envs: ['prod*=n/docker-compose-mariadb-redis.yml'] },
      { dir: 'n', envs: ['prod*=n/docker-compose-sqlite.yml'] },
    ]);
    // With no base beside them, a prod name is a project of its own too.
    expect(envsOf(['r/docker-compose-v3.yml', 'r/docker-compose-v4.yml', 'd/compose-prod.yaml'])).toEqual([
      { dir: 'd', envs: ['prod*=d/compose-prod.yaml'] },
      { dir: 'r', envs: ['prod*=r/docker-compose-v3.yml'] },
      { dir: 'r', envs: ['prod*=r/docker-compose-v4.yml'] },
    ]);
  });

  it('one project per folder with a base file', () => {
    expect(envsOf(['a/compose.yml', 'b/docker-compose.yaml', 'b/docker-compose.prod.yaml']).map((p) => p.dir)).toEqual(['a', 'b']);
  });
});

describe('loadCompose: environments are merged documents', () => {
  it('prod = base + prod overlay, dev = base + override, each with its own files', () => {
    const src = memSource({
      'docker-compose.yml': 'services:\n  web:\n    image: app\n    ports: ["8000:8000"]\n',
      'docker-compose.override.yml': 'services:\n  web:\n    environment: [DEBUG=1]\n',
      'docker-compose.prod.yml': 'services:\n  web:\n    ports: ["127.0.0.1:8000:8000"]\n',
    });
    const r = loadCompose(src, ['docker-compose.override.yml', 'docker-compose.prod.yml', 'docker-compose.yml'], {}, 'My App');
    expect(r.errors).toEqual([]);
    expect(r.projects).toHaveLength(1);
    expect(r.projects[0].name).toBe('myapp');
    const [dev, prod] = r.projects[0].environments;
    expect([dev.name, dev.isProd, dev.files]).toEqual(['dev', false, ['docker-compose.yml', 'docker-compose.override.yml']]);
    expect([prod.name, prod.isProd, prod.files]).toEqual(['prod', true, ['docker-compose.yml', 'docker-compose.prod.yml']]);
    expect(toPlain(at(dev.root, 'services', 'web'))).toEqual({ image: 'app', ports: ['8000:8000'], environment: { DEBUG: '1' } });
    expect(toPlain(at(prod.root, 'services', 'web'))).toEqual({ image: 'app', ports: ['8000:8000', '127.0.0.1:8000:8000'] });
    const web = prod.services[0];
    expect(web.keyProvs.map((p) => `${p.file}:${p.range.line}`)).toEqual(['docker-compose.yml:2', 'docker-compose.prod.yml:2']);
    // Each file is read once even though two environments use the base.
    expect(src.reads.filter((f) => f === 'docker-compose.yml')).toHaveLength(1);
  });

  it('a top-level `name:` names the project', () => {
    const r = loadCompose(memSource({ 'compose.yaml': 'name: shop\nservices:\n  a: {image: x}\n' }), ['compose.yaml']);
    expect(r.projects[0].name).toBe('shop');
  });

  it('variable uses are listed with their exact location; invalid interpolation is reported with its line', () => {
    const src = memSource({
      'compose.yaml': y`
        services:
          db:
            environment:
              POSTGRES_PASSWORD: \${DB_PASSWORD:-postgres}
            image: "postgres:\${PG_VERSION}"
            command: echo \${BAD:x}
      `,
    });
    const r = loadCompose(src, ['compose.yaml']);
    const env = r.projects[0].environments[0];
    expect(
      env.variables.map((v) => [v.use.name, v.path.join('.'), v.prov.range.line, v.prov.range.column, v.prov.range.endColumn]),
    ).toEqual([
      ['DB_PASSWORD', 'services.db.environment.POSTGRES_PASSWORD', 4, 26, 50],
      ['PG_VERSION', 'services.db.image', 5, 22, 35],
    ]);
    expect(r.errors).toEqual([{ file: 'compose.yaml', line: 6, message: expect.stringContaining('invalid') }]);
  });
});

describe('loadCompose: include', () => {
  const files = {
    'docker-compose.yml': y`
      include:
        - services/api/compose.yaml
        - path: [services/worker/compose.yaml]
      services:
        web:
          build: ./web
    `,
    'services/api/compose.yaml': y`
      include:
        - ../db/compose.yaml
      services:
        api:
          build: ./app
          env_file: .env.api
      volumes:
        apidata: {}
    `,
    'services/db/compose.yaml': y`
      services:
        db:
          build:
            context: .
            dockerfile: db.Dockerfile
    `,
    'services/worker/compose.yaml': y`
      services:
        worker:
          build: ../../worker
    `,
  };

  it('included services join the project with their relative paths rebased onto the project folder', () => {
    const r = loadCompose(memSource(files), ['docker-compose.yml']);
    expect(r.errors).toEqual([]);
    const env = r.projects[0].environments[0];
    const svc = (n: string) => toPlain(at(env.root, 'services', n));
    expect(svc('web')).toEqual({ build: { context: './web' } });
    expect(svc('api')).toEqual({ build: { context: 'services/api/app' }, env_file: 'services/api/.env.api' });
    expect(svc('db')).toEqual({ build: { context: 'services/db', dockerfile: 'db.Dockerfile' } });
    expect(svc('worker')).toEqual({ build: { context: 'worker' } });
    expect(get(get(env.root, 'volumes'), 'apidata')).toBeDefined();
    expect(env.services.map((s) => s.name).sort()).toEqual(['api', 'db', 'web', 'worker']);
  });

  it('the environment lists the included files after the file that includes them', () => {
    const r = loadCompose(memSource(files), ['docker-compose.yml']);
    expect(r.projects[0].environments[0].files).toEqual([
      'docker-compose.yml',
      'services/api/compose.yaml',
      'services/db/compose.yaml',
      'services/worker/compose.yaml',
    ]);
  });

  it('values of included services keep the included file as provenance', () => {
    const r = loadCompose(memSource(files), ['docker-compose.yml']);
    const ctx = at(r.projects[0].environments[0].root, 'services', 'api', 'build', 'context');
    expect(ctx?.prov).toMatchObject({ file: 'services/api/compose.yaml', range: { line: 5 } });
  });

  it('an include cycle is reported, the rest still loaded', () => {
    const r = loadCompose(
      memSource({
        'compose.yaml': 'include: [a.yml]\nservices:\n  web: {image: w}\n',
        'a.yml': 'include: [compose.yaml]\nservices:\n  a: {image: a}\n',
      }),
      ['compose.yaml'],
    );
    expect(r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/include cycle/)]);
    expect(r.projects[0].environments[0].services.map((s) => s.name).sort()).toEqual(['a', 'web']);
  });
});

describe('loadCompose: extends', () => {
  const serviceOf = (env: Environment, name: string) => toPlain(at(env.root, 'services', name));

  it('same file (mapping and string forms); the local service wins and merges by the merge rules', () => {
    const r = loadCompose(
      memSource({
        'compose.yaml': y`
          services:
            base:
              image: app:1
              environment: [LOG_LEVEL=info, MODE=base]
              cap_drop: [ALL]
            web:
              extends: {service: base}
              environment:
                MODE: web
              command: ["serve"]
            worker:
              extends: base
              command: ["work"]
        `,
      }),
      ['compose.yaml'],
    );
    expect(r.errors).toEqual([]);
    const env = r.projects[0].environments[0];
    expect(serviceOf(env, 'web')).toEqual({
      image: 'app:1',
      environment: { LOG_LEVEL: 'info', MODE: 'web' },
      cap_drop: ['ALL'],
      command: ['serve'],
    });
    expect(serviceOf(env, 'worker')).toEqual({
      image: 'app:1',
      environment: { LOG_LEVEL: 'info', MODE: 'base' },
      cap_drop: ['ALL'],
      command: ['work'],
    });
    // Inherited values point at the base service's lines.
    expect(at(env.root, 'services', 'web', 'image')?.prov.range.line).toBe(3);
    expect(at(env.root, 'services', 'web', 'environment', 'MODE')?.prov.range.line).toBe(9);
  });

  it('another file: paths are rebased from that file’s folder', () => {
    const r = loadCompose(
      memSource({
        'compose.yaml': y`
          services:
            api:
              extends:
                file: common/services.yml
                service: python
              build:
                target: prod
        `,
        'common/services.yml': y`
          services:
            python:
              build: ./py
              env_file: [defaults.env]
              read_only: true
        `,
      }),
      ['compose.yaml'],
    );
    expect(r.errors).toEqual([]);
    const env = r.projects[0].environments[0];
    expect(serviceOf(env, 'api')).toEqual({
      build: { context: 'common/py', target: 'prod' },
      env_file: ['common/defaults.env'],
      read_only: true,
    });
    expect(at(env.root, 'services', 'api', 'read_only')?.prov.file).toBe('common/services.yml');
  });

  it('chained across files', () => {
    const r = loadCompose(
      memSource({
        'compose.yaml': 'services:\n  app:\n    extends: {file: a/one.yml, service: one}\n    user: "1000"\n',
        'a/one.yml': 'services:\n  one:\n    extends: {file: ../b/two.yml, service: two}\n    read_only: true\n',
        'b/two.yml': 'services:\n  two:\n    image: base:2\n    cap_drop: [ALL]\n',
      }),
      ['compose.yaml'],
    );
    expect(r.errors).toEqual([]);
    expect(serviceOf(r.projects[0].environments[0], 'app')).toEqual({ image: 'base:2', cap_drop: ['ALL'], read_only: true, user: '1000' });
  });

  it('a cycle is reported naming the file; the other services are still loaded', () => {
    const r = loadCompose(
      memSource({
        'compose.yaml': y`
          services:
            a:
              extends: b
              image: a
            b:
              extends: a
              image: b
            ok:
              image: nginx:1.27
        `,
      }),
      ['compose.yaml'],
    );
    expect(r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) expect(e).toMatchObject({ file: 'compose.yaml', message: expect.stringMatching(/extends cycle/) });
    expect(r.projects[0].environments[0].services.map((s) => s.name)).toEqual(['a', 'b', 'ok']);
  });

  it('extends of a missing service is reported', () => {
    const r = loadCompose(memSource({ 'compose.yaml': 'services:\n  a:\n    extends: nope\n    image: a\n' }), ['compose.yaml']);
    expect(r.errors).toEqual([{ file: 'compose.yaml', line: 3, message: expect.stringMatching(/no service `nope`/) }]);
  });
});

describe('loadCompose: bad input is reported per file, the rest still loaded', () => {
  const good = 'services:\n  web:\n    image: nginx:1.27\n';
  const bomb = [
    'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    'x-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'x-c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'x-d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'x-e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    'x-f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    'x-g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    'x-h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
    'x-i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
    'services:',
    '  web:',
    '    image: nginx',
    '    labels: *i',
    '',
  ].join('\n');
  const files: Record<string, string> = {
    'good/compose.yaml': good,
    'syntax/compose.yaml': 'services:\n  web:\n    image: nginx\n    ports: ["80:80"\n',
    'dupkey/compose.yaml': 'services:\n  web:\n    image: nginx:1\n    image: nginx:2\n',
    'bomb/compose.yaml': bomb,
    'list/compose.yaml': '- web\n- db\n',
    'v1/docker-compose.yml': 'web:\n  image: nginx\n  links: [db]\ndb:\n  image: postgres\n',
    'cycle/compose.yaml': 'services:\n  a:\n    extends: a\n  b:\n    image: b\n',
    'outside/compose.yaml': 'include:\n  - ../../elsewhere/compose.yaml\n  - /etc/compose.yaml\nservices:\n  web:\n    image: w\n',
  };
  const src = memSource(files);
  const t0 = Date.now();
  const r = loadCompose(src, Object.keys(files).sort());
  const elapsed = Date.now() - t0;
  const errorsOf = (dir: string) => r.errors.filter((e) => e.file.startsWith(`${dir}/`));

  it('the good project and the ones whose problem is local are loaded', () => {
    expect(r.projects.map((p) => p.dir).sort()).toEqual(['cycle', 'good', 'outside']);
    const outside = r.projects.find((p) => p.dir === 'outside');
    expect(outside?.environments[0].services.map((s) => s.name)).toEqual(['web']);
  });

  it('a YAML syntax error has its line and column', () => {
    const [e] = errorsOf('syntax');
    expect(e).toMatchObject({
      file: 'syntax/compose.yaml',
      line: expect.any(Number),
      message: expect.stringMatching(/^YAML: .*column \d+/),
    });
  });

  it('a duplicate key is reported at the second key, by name', () => {
    expect(errorsOf('dupkey')).toEqual([
      { file: 'dupkey/compose.yaml', line: 4, message: expect.stringMatching(/duplicate key `image`.*column 5/) },
    ]);
  });

  it('an alias bomb is refused, bounded in time', () => {
    expect(errorsOf('bomb')).toEqual([{ file: 'bomb/compose.yaml', message: expect.stringMatching(/alias/) }]);
    expect(elapsed).toBeLessThan(5000);
  });

  it('a document that is a list is not a compose file', () => {
    expect(errorsOf('list')).toEqual([{ file: 'list/compose.yaml', line: 1, message: expect.stringMatching(/not a compose file/) }]);
  });

  it('a version 1 file (services at the top level) is named as such', () => {
    expect(errorsOf('v1')).toEqual([{ file: 'v1/docker-compose.yml', line: 1, message: expect.stringMatching(/version 1 format/) }]);
  });

  it('an extends cycle (a service extending itself) is reported', () => {
    expect(errorsOf('cycle').map((e) => e.message)).toEqual([expect.stringMatching(/extends cycle/)]);
  });

  it('an include outside the scanned root is reported, not read', () => {
    expect(errorsOf('outside')).toEqual([
      { file: 'outside/compose.yaml', line: 2, message: expect.stringMatching(/outside the scanned root; not read/) },
      { file: 'outside/compose.yaml', line: 3, message: expect.stringMatching(/outside the scanned root; not read/) },
    ]);
    expect(src.reads.filter((f) => f.includes('elsewhere') || f.startsWith('/'))).toEqual([]);
  });

  it('every file with a problem is named in the errors', () => {
    const named = new Set(r.errors.map((e) => e.file));
    for (const f of Object.keys(files)) if (!f.startsWith('good/')) expect(named, f).toContain(f);
  });

  it('an extends file outside the root is reported and not read; the service keeps its own keys', () => {
    const s = memSource({ 'compose.yaml': 'services:\n  a:\n    extends: {file: ../x.yml, service: b}\n    image: a\n' });
    const r2 = loadCompose(s, ['compose.yaml']);
    expect(r2.errors).toEqual([{ file: 'compose.yaml', line: 3, message: expect.stringMatching(/outside the scanned root/) }]);
    expect(s.reads).toEqual(['compose.yaml']);
    expect(toPlain(at(r2.projects[0].environments[0].root, 'services', 'a'))).toEqual({ image: 'a' });
  });

  it('an unreadable file is reported; the project loads from its other files', () => {
    const r2 = loadCompose(memSource({ 'compose.yaml': good }), ['compose.yaml', 'compose.prod.yaml']);
    expect(r2.errors).toEqual([{ file: 'compose.prod.yaml', message: 'no such file' }]);
    const prod = r2.projects[0].environments.find((e) => e.name === 'prod');
    expect(prod?.files).toEqual(['compose.yaml']);
    expect(prod?.services.map((s) => s.name)).toEqual(['web']);
  });
});
