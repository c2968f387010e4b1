/** The shared probe helpers (src/rules/_probe.ts), including a compose-style probe judged against an image. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DockerfileModel } from '../../src/model/dockerfile.js';
import { parseDockerfile } from '../../src/parse/dockerfile.js';
import { initShell, parseShell } from '../../src/parse/shell.js';
import { describeProbe, effectiveHealthcheck, judgeProbe, type Probe, probeOf } from '../../src/rules/_probe.js';

beforeAll(async () => {
  await initShell();
});

function image(text: string): { df: DockerfileModel; probe: Probe | null } {
  const df = parseDockerfile('Dockerfile', text);
  const final = df.stages[df.stages.length - 1];
  const hc = effectiveHealthcheck(df, final);
  return { df, probe: hc ? probeOf(hc) : null };
}

const R = { line: 1, column: 1, endLine: 1, endColumn: 1 };

describe('describeProbe', () => {
  it.each([
    [
      'HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen(\'http://localhost:8000/health\')" || exit 1',
      'Python urllib (no curl needed)',
    ],
    ['HEALTHCHECK CMD ["python3", "-c", "import requests; requests.get(\'http://localhost:8000\')"]', 'Python requests (no curl needed)'],
    ['HEALTHCHECK CMD python -c "import app.main"', 'Python import verification'],
    ['HEALTHCHECK CMD ["python", "healthcheck.py"]', 'Python script `healthcheck.py` (no curl needed)'],
    ['HEALTHCHECK CMD python -m celery -A tasks inspect ping --destination "celery@$HOSTNAME"', '`celery inspect ping` (no curl needed)'],
    ['HEALTHCHECK CMD ["python", "-m", "app.healthcheck"]', 'Python module `app.healthcheck` (no curl needed)'],
    [
      "HEALTHCHECK CMD node -e \"require('http').get('http://localhost:3000', r => process.exit(r.statusCode === 200 ? 0 : 1))\"",
      'Node.js HTTP module',
    ],
    [
      'HEALTHCHECK CMD ["node", "-e", "fetch(\'http://localhost:3000\').then(r => process.exit(r.ok ? 0 : 1))"]',
      'Node.js fetch (no curl needed)',
    ],
    ['HEALTHCHECK CMD ["node", "healthcheck.js"]', 'Node.js script `healthcheck.js`'],
    ['HEALTHCHECK CMD nginx -t || exit 1', '`nginx -t` config test'],
    ['HEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1', '`curl -f http://localhost:8000/health`'],
    ['HEALTHCHECK CMD ["curl", "-f", "http://localhost:8000/health"]', '`curl -f http://localhost:8000/health`'],
    ['HEALTHCHECK CMD exec curl -fsS http://localhost/ >/dev/null', '`curl -fsS http://localhost/`'],
    ['HEALTHCHECK CMD ["sh", "-c", "pg_isready -U $POSTGRES_USER"]', '`pg_isready -U $POSTGRES_USER`'],
    ['HEALTHCHECK CMD redis-cli ping | grep PONG', '`redis-cli ping`'],
    ['HEALTHCHECK CMD nc -z localhost 5432', '`nc -z` port check'],
  ])('%s → %s', (hc, words) => {
    const { df, probe } = image(`FROM python:3.12-slim\n${hc}\n`);
    expect(describeProbe(probe as Probe, df, df.stages[0])).toBe(words);
  });

  it('calls wget from a busybox base busybox `wget`', () => {
    const { df, probe } = image('FROM alpine:3.20\nHEALTHCHECK CMD wget -q --spider http://localhost/ || exit 1\n');
    expect(describeProbe(probe as Probe, df, df.stages[0])).toBe('busybox `wget`');
    expect(describeProbe(probe as Probe)).toBe('`wget -q --spider http://localhost/`');
  });
});

describe('judgeProbe', () => {
  it('needs the shell for shell form and every program in the script', () => {
    const { df, probe } = image('FROM python:3.12-slim\nHEALTHCHECK CMD curl -f http://localhost/ | grep ok || exit 1\n');
    const j = judgeProbe(df, df.stages[0], probe as Probe);
    expect(j.programs.map((p) => p.name)).toEqual(['/bin/sh', 'curl', 'grep']);
    expect(j.status).toBe('fail');
    expect(j.culprit?.name).toBe('curl');
    expect(j.range).toEqual({ line: 2, column: 17, endLine: 2, endColumn: 21 });
  });

  it('unwraps exec and timeout', () => {
    const { df, probe } = image('FROM alpine:3.20\nHEALTHCHECK CMD exec timeout 5 wget -q --spider http://localhost/\n');
    const j = judgeProbe(df, df.stages[0], probe as Probe);
    expect(j.programs.map((p) => p.name)).toEqual(['/bin/sh', 'timeout', 'wget']);
    expect(j.status).toBe('pass');
    expect(j.evidence).toBe('`wget` (busybox)');
  });

  it('judges the inner script of an exec-form `sh -c`', () => {
    const { df, probe } = image('FROM node:22-slim\nHEALTHCHECK CMD ["sh", "-c", "curl -f http://localhost:3000/ || exit 1"]\n');
    const j = judgeProbe(df, df.stages[0], probe as Probe);
    expect(j.status).toBe('fail');
    expect(j.culprit?.name).toBe('curl');
    expect(j.range).toEqual({ line: 2, column: 31, endLine: 2, endColumn: 35 });
    expect(j.message).toMatch(/node -e/);
  });

  it('uses the SHELL of the stage for shell form', () => {
    const { df, probe } = image('FROM alpine:3.20\nSHELL ["/bin/bash", "-c"]\nHEALTHCHECK CMD wget -q --spider http://localhost/\n');
    const j = judgeProbe(df, df.stages[0], probe as Probe);
    expect(j.status).toBe('fail');
    expect(j.culprit?.name).toBe('/bin/bash');
  });

  it('judges a compose-style probe against the image', () => {
    const { df } = image('FROM python:3.12-slim\nCMD ["python", "-m", "http.server"]\n');
    const stage = df.stages[0];
    const execProbe: Probe = { form: 'exec', argv: ['curl', '-f', 'http://localhost:8000'], argvRanges: [R], range: R };
    expect(judgeProbe(df, stage, execProbe).status).toBe('fail');
    const shellProbe: Probe = { form: 'shell', script: parseShell('python -c "import urllib.request"'), range: R };
    const j = judgeProbe(df, stage, shellProbe);
    expect(j.status).toBe('pass');
    expect(j.evidence).toBe('no curl needed');
  });

  it('is unknown for a program the knowledge does not cover', () => {
    const { df, probe } = image('FROM python:3.12-slim\nHEALTHCHECK CMD celery -A app inspect ping\n');
    const j = judgeProbe(df, df.stages[0], probe as Probe);
    expect(j.status).toBe('unknown');
    expect(j.culprit?.name).toBe('celery');
  });

  it('knows what the image ships by its name', () => {
    const { df, probe } = image('FROM postgres:16\nHEALTHCHECK CMD pg_isready -U postgres\n');
    expect(judgeProbe(df, df.stages[0], probe as Probe).status).toBe('pass');
  });

  it('credits the base image with a program it ships, not a package that also provides it', () => {
    // Alpine's /bin/sh is busybox in the base image; `apk add bash` does not provide it.
    const { df, probe } = image('FROM alpine:3.20\nRUN apk add --no-cache bash\nHEALTHCHECK CMD wget -q -O- http://localhost/ || exit 1\n');
    const j = judgeProbe(df, df.stages[0], probe as Probe);
    expect(j.status).toBe('pass');
    expect(j.programs.map((p) => p.presence.reason)).toEqual(['`alpine:3.20` ships `sh`', '`alpine:3.20` ships `wget`']);
    expect(j.message).not.toMatch(/installed by/);
    expect(j.evidence).toBe('`wget` (busybox)');
  });

  it('credits a package with a program the base image lacks', () => {
    const { df, probe } = image(
      'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y curl\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n',
    );
    const j = judgeProbe(df, df.stages[0], probe as Probe);
    expect(j.status).toBe('pass');
    expect(j.evidence).toBe('`curl` installed by `curl`');
  });

  it("counts a program COPY'd into the final stage", () => {
    const { df, probe } = image(
      'FROM golang:1.23 AS build\nRUN go build -o /out/healthcheck ./cmd/healthcheck\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/healthcheck /healthcheck\nHEALTHCHECK CMD ["/healthcheck"]\n',
    );
    const j = judgeProbe(df, df.stages[1], probe as Probe);
    expect(j.status).toBe('pass');
  });
});
