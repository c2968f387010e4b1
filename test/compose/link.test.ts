/**
 * Cross-file links, through the real pipeline (discover → buildProject): service → build context →
 * Dockerfile → image model, `build.target` choosing a stage, and `image.services` filled per
 * environment.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/discover/index.js';
import { buildProject } from '../../src/model/build.js';
import type { Service } from '../../src/model/compose.js';
import type { Project } from '../../src/model/project.js';
import { cleanup, tmpDir, writeTree } from '../discover/helpers.js';
import { y } from './helpers.js';

afterAll(cleanup);

async function project(files: Record<string, string>): Promise<Project> {
  const root = tmpDir('seaworthy-link-');
  writeTree(root, files);
  return buildProject(await discover(root), 'link');
}

function service(p: Project, env: string, name: string): Service {
  for (const c of p.compose) {
    for (const e of c.environments) {
      if (e.name !== env) continue;
      const s = e.services.find((x) => x.name === name);
      if (s) return s;
    }
  }
  throw new Error(`no service ${name} in ${env}`);
}

const MULTI = y`
  FROM python:3.12 AS builder
  RUN pip wheel -w /wheels .
  FROM python:3.12-slim AS runtime
  COPY --from=builder /wheels /wheels
  USER 1001
  FROM runtime AS debug
  USER root
`;

describe('service → build context → Dockerfile', () => {
  it('`build: ./backend` links the service to backend/Dockerfile', async () => {
    const p = await project({
      'docker-compose.yml': 'services:\n  api:\n    build: ./backend\n',
      'backend/Dockerfile': 'FROM node:22-slim\nUSER node\n',
    });
    const api = service(p, 'prod', 'api');
    expect(api.build).toMatchObject({ context: 'backend', dockerfile: 'backend/Dockerfile', target: null });
    expect(api.build?.problem).toBeUndefined();
    expect(api.build?.prov).toMatchObject({ file: 'docker-compose.yml', range: { line: 3 } });
    expect(api.imageModel?.dockerfile.path).toBe('backend/Dockerfile');
    expect(api.imageModel?.context.dir).toBe('backend');
    expect(p.images.map((i) => i.name)).toEqual(['backend/Dockerfile']);
  });

  it('`build.context` + `build.dockerfile` (relative to the context)', async () => {
    const p = await project({
      'compose.yaml': y`
        services:
          web:
            build:
              context: ./services/web
              dockerfile: docker/Dockerfile.prod
      `,
      'services/web/docker/Dockerfile.prod': 'FROM nginx:1.27-alpine\n',
    });
    const web = service(p, 'prod', 'web');
    expect(web.build).toMatchObject({ context: 'services/web', dockerfile: 'services/web/docker/Dockerfile.prod' });
    expect(web.imageModel?.dockerfile.path).toBe('services/web/docker/Dockerfile.prod');
    expect(web.imageModel?.context.dir).toBe('services/web');
  });

  it('a project in a subfolder resolves build paths against its own folder', async () => {
    const p = await project({
      'deploy/docker-compose.prod.yml': 'services:\n  api:\n    build:\n      context: ../api\n',
      'api/Dockerfile': 'FROM golang:1.23\n',
    });
    expect(service(p, 'prod', 'api').build).toMatchObject({ context: 'api', dockerfile: 'api/Dockerfile' });
    expect(service(p, 'prod', 'api').imageModel?.dockerfile.path).toBe('api/Dockerfile');
  });

  it('`build.target` chooses a stage; another target of the same Dockerfile is another image', async () => {
    const p = await project({
      'docker-compose.yml': y`
        services:
          app:
            build:
              context: .
              target: runtime
          shell:
            build:
              context: .
              target: debug
      `,
      Dockerfile: MULTI,
    });
    const app = service(p, 'prod', 'app');
    expect(app.build?.target).toBe('runtime');
    expect(app.imageModel?.stage.name).toBe('runtime');
    expect(app.imageModel?.name).toBe('Dockerfile#runtime');
    expect(app.imageModel?.reachableStages.map((s) => s.name).sort()).toEqual(['builder', 'runtime']);
    const shell = service(p, 'prod', 'shell');
    expect(shell.imageModel?.stage.name).toBe('debug');
    expect(shell.imageModel?.name).toBe('Dockerfile');
    expect(p.images.map((i) => i.name).sort()).toEqual(['Dockerfile', 'Dockerfile#runtime']);
  });

  it('an overlay can change the target: each environment links its own stage', async () => {
    const p = await project({
      'docker-compose.yml': 'services:\n  app:\n    build: {context: ., target: debug}\n',
      'docker-compose.prod.yml': 'services:\n  app:\n    build: {target: runtime}\n',
      Dockerfile: MULTI,
    });
    expect(service(p, 'dev', 'app').imageModel?.stage.name).toBe('debug');
    expect(service(p, 'prod', 'app').imageModel?.stage.name).toBe('runtime');
  });

  it('an unknown target is a problem on svc.build, and no image is linked', async () => {
    const p = await project({
      'docker-compose.yml': 'services:\n  app:\n    build:\n      context: .\n      target: prod\n',
      Dockerfile: MULTI,
    });
    const app = service(p, 'prod', 'app');
    expect(app.build?.problem).toMatch(/target `prod` is not a stage of Dockerfile/);
    expect(app.imageModel).toBeNull();
    // The Dockerfile is still judged, as its final stage.
    expect(p.images.map((i) => i.name)).toEqual(['Dockerfile']);
  });

  it('problems: remote context, context outside the root, variable in the path, inline Dockerfile, missing Dockerfile', async () => {
    const p = await project({
      'docker-compose.yml': y`
        services:
          remote:
            build: https://github.com/example/app.git#main
          outside:
            build: ../elsewhere
          variable:
            build: \${APP_DIR:-./app}
          inline:
            build:
              context: .
              dockerfile_inline: "FROM alpine"
          missing:
            build: ./nothing-here
      `,
    });
    const problem = (n: string) => service(p, 'prod', n).build?.problem;
    expect(problem('remote')).toMatch(/remote build context/);
    expect(problem('outside')).toMatch(/outside the scanned root/);
    expect(problem('variable')).toMatch(/variable/);
    expect(problem('inline')).toMatch(/dockerfile_inline/);
    expect(problem('missing')).toMatch(/could not be read/);
    for (const n of ['remote', 'outside', 'variable', 'inline', 'missing']) expect(service(p, 'prod', n).imageModel).toBeNull();
  });

  it('an `image:` service has no build link but keeps its image and node', async () => {
    const p = await project({ 'compose.yaml': 'services:\n  db:\n    image: postgres:16-alpine\n' });
    const db = service(p, 'prod', 'db');
    expect(db.build).toBeNull();
    expect(db.image).toBe('postgres:16-alpine');
    expect(db.imageNode?.prov.range).toMatchObject({ line: 3, column: 12 });
    expect(db.imageModel).toBeNull();
  });
});

describe('image.services', () => {
  it('lists every service and environment that runs the image, with user, healthcheck and init', async () => {
    const p = await project({
      'docker-compose.yml': y`
        services:
          api:
            build: ./api
            init: true
          worker:
            build: ./api
            command: ["celery", "worker"]
            healthcheck:
              disable: true
      `,
      'docker-compose.prod.yml': y`
        services:
          api:
            user: "10001:10001"
            healthcheck:
              test: ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"]
          worker:
            init: false
      `,
      'api/Dockerfile': 'FROM python:3.12-slim\n',
    });
    expect(p.images).toHaveLength(1);
    const refs = p.images[0].services
      .map((s) => ({ ...s }))
      .sort((a, b) => `${a.environment}${a.service}`.localeCompare(`${b.environment}${b.service}`));
    expect(refs).toEqual([
      { environment: 'dev', service: 'api', user: null, hasHealthcheck: false, init: true },
      { environment: 'dev', service: 'worker', user: null, hasHealthcheck: false, init: null },
      { environment: 'prod', service: 'api', user: '10001:10001', hasHealthcheck: true, init: true },
      { environment: 'prod', service: 'worker', user: null, hasHealthcheck: false, init: false },
    ]);
    expect(service(p, 'prod', 'api').imageModel).toBe(p.images[0]);
    expect(service(p, 'dev', 'worker').imageModel).toBe(p.images[0]);
  });

  it('`test: ["NONE"]` is no healthcheck', async () => {
    const p = await project({
      'compose.yaml': 'services:\n  a:\n    build: .\n    healthcheck:\n      test: ["NONE"]\n',
      Dockerfile: 'FROM alpine:3.20\n',
    });
    expect(p.images[0].services).toEqual([{ environment: 'prod', service: 'a', user: null, hasHealthcheck: false, init: null }]);
  });

  it('a Dockerfile no service builds is an image with no services', async () => {
    const p = await project({
      'compose.yaml': 'services:\n  a:\n    build: ./a\n',
      'a/Dockerfile': 'FROM alpine:3.20\n',
      'tools/Dockerfile': 'FROM alpine:3.20\n',
    });
    expect(p.images.map((i) => [i.name, i.services.length])).toEqual([
      ['a/Dockerfile', 1],
      ['tools/Dockerfile', 0],
    ]);
  });
});
