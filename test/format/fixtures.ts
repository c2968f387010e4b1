/** Hand-made metas and results for formatter tests (no rule implementation involved). */
import type { CheckReport } from '../../src/format/report.js';
import type { Result, RuleMeta } from '../../src/types.js';

export const META_NON_ROOT: RuleMeta = {
  id: 'dockerfile/non-root-user',
  title: 'Run the image as a non-root user',
  severity: 'high',
  family: 'dockerfile',
  target: 'image',
  env: 'all',
  aliases: ['DL3002', 'CKV_DOCKER_8'],
  rationale: 'A process running as root inside a container is root on the host once it escapes.',
  fix: 'Create a user with a fixed UID and switch to it with `USER 1001` in the final stage.',
  examples: {
    bad: { file: 'Dockerfile', content: 'FROM python:3.12-slim\nCMD ["python", "app.py"]\n' },
    good: {
      file: 'Dockerfile',
      content: 'FROM python:3.12-slim\nRUN useradd -u 1001 app\nUSER 1001\nCMD ["python", "app.py"]\n',
      extraFiles: { '.dockerignore': '.env\n.git\n' },
    },
  },
};

export const META_PINNED: RuleMeta = {
  id: 'dockerfile/pinned-base',
  title: 'Pin base images to a version',
  severity: 'medium',
  family: 'dockerfile',
  target: 'image',
  env: 'all',
  aliases: ['DL3006', 'DL3007'],
  rationale: 'An unpinned base changes under you: builds are not reproducible.',
  fix: 'Use an explicit tag, e.g. `FROM node:22-slim`, or a digest.',
  examples: {
    bad: { file: 'Dockerfile', content: 'FROM node\n' },
    good: { file: 'Dockerfile', content: 'FROM node:22-slim\n' },
  },
};

export const META_SECRETS: RuleMeta = {
  id: 'secrets/no-default-in-prod',
  title: 'No fallback values for secrets in production',
  severity: 'high',
  family: 'secrets',
  target: 'project',
  env: 'prod',
  aliases: [],
  rationale: 'A fallback such as `${X:-dev}` silently ships a development secret to production.',
  fix: 'Use `${X:?X is required}` so compose refuses to start without it.',
  examples: {
    bad: {
      file: 'docker-compose.yml',
      content: 'services:\n  app:\n    environment:\n      REDIS_PASSWORD: ${REDIS_PASSWORD:-dev}\n',
    },
    good: {
      file: 'docker-compose.yml',
      content: 'services:\n  app:\n    environment:\n      REDIS_PASSWORD: ${REDIS_PASSWORD:?required}\n',
    },
  },
};

export const METAS = [META_NON_ROOT, META_PINNED, META_SECRETS];

const loc = (file: string, line: number, column: number, endLine = line, endColumn = column + 10) => ({
  file,
  line,
  column,
  endLine,
  endColumn,
});

/** Deliberately out of order: formatters must sort. */
export const RESULTS: Result[] = [
  {
    ruleId: 'secrets/no-default-in-prod',
    status: 'fail',
    severity: 'high',
    target: 'prod:app',
    message: 'REDIS_PASSWORD falls back to a default (`${REDIS_PASSWORD:-****}`) in production. Use `${REDIS_PASSWORD:?required}`.',
    location: loc('docker-compose.yml', 4, 23, 4, 48),
    environment: 'prod',
  },
  {
    ruleId: 'dockerfile/pinned-base',
    status: 'fail',
    severity: 'medium',
    target: 'backend/Dockerfile',
    message: 'FROM node has no tag, so every build may get a different base. Pin a version: `FROM node:22-slim`.',
    location: loc('backend/Dockerfile', 1, 1, 1, 10),
  },
  {
    ruleId: 'dockerfile/non-root-user',
    status: 'fail',
    severity: 'high',
    target: 'backend/Dockerfile',
    message: 'The final stage runs as root. Add `USER 1001` after creating the user.',
    location: loc('backend/Dockerfile', 1, 1, 1, 10),
  },
  {
    ruleId: 'dockerfile/pinned-base',
    status: 'pass',
    severity: 'medium',
    target: 'frontend/Dockerfile',
    message: 'Base image is pinned.',
    evidence: '`node:22-slim`',
    location: loc('frontend/Dockerfile', 1, 1),
  },
  {
    ruleId: 'dockerfile/non-root-user',
    status: 'waived',
    severity: 'high',
    target: 'frontend/Dockerfile',
    message: 'The final stage runs as root.',
    location: loc('frontend/Dockerfile', 1, 1),
    waiver: { reason: 'nginx drops privileges itself', source: 'seaworthy.yml:4', expires: '2031-01-01' },
  },
  {
    ruleId: 'dockerfile/pinned-base',
    status: 'unknown',
    severity: 'medium',
    target: 'worker/Dockerfile',
    message: 'FROM ${BASE} has no default, so the base image is unknown.',
    location: loc('worker/Dockerfile', 2, 1),
  },
  {
    ruleId: 'dockerfile/non-root-user',
    status: 'pass',
    severity: 'high',
    target: 'worker/Dockerfile',
    message: 'Runs as a non-root user.',
    evidence: '`appuser` (UID 1001)',
    location: loc('worker/Dockerfile', 9, 1),
  },
];

export function makeReport(over: Partial<CheckReport> = {}): CheckReport {
  return {
    tool: { name: 'seaworthy', version: '0.1.0' },
    root: 'example',
    results: RESULTS,
    errors: [{ file: 'compose.override.yaml', message: 'YAML syntax error: unexpected end of stream', line: 7 }],
    rules: METAS,
    failOn: 'high',
    durationMs: 210,
    filesScanned: 14,
    ...over,
  };
}
