import { embedsCredentials, globRegex, isLiteralValue, isSecretName, matchSecretFile } from '../../knowledge/secrets.js';
import type { CopyInstr, DockerfileModel, VarDecl } from '../../model/dockerfile.js';
import type { Image } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass } from '../_util.js';

function stageName(df: DockerfileModel, i: number): string {
  if (i < 0) return 'before the first FROM';
  const s = df.stages[i];
  if (df.stages.length === 1) return 'the image';
  if (s.name) return `stage \`${s.name}\``;
  return i === df.stages.length - 1 ? 'the final stage' : `stage ${i}`;
}

function declFinding(df: DockerfileModel, d: VarDecl): string | null {
  if (d.raw === null) return null;
  const where = stageName(df, d.stage);
  const fix = 'pass it at run time (compose `environment:` or secrets) or, for build steps, with `RUN --mount=type=secret`';
  const stays =
    d.keyword === 'ENV'
      ? 'it is in source control and in the image config, readable by anyone who can pull the image'
      : 'it is in source control and, once a RUN uses it, in the image history';
  if (isSecretName(d.name) && isLiteralValue(d.raw)) {
    return `\`${d.keyword} ${d.name}\` (${where}) ${d.keyword === 'ENV' ? 'is set to a literal value' : 'has a literal default'}: ${stays}; ${fix}.`;
  }
  if (embedsCredentials(d.raw)) {
    return `\`${d.keyword} ${d.name}\` (${where}) embeds a password in a URL: ${stays}; ${fix}.`;
  }
  return null;
}

/** Context files a glob source matches, Go filepath.Match style (`*` does not cross `/`). */
function globMatches(image: Image, source: string): string[] {
  const re = globRegex(source);
  return image.context.files.filter((f) => re.test(f) && !image.context.isIgnored(f));
}

/** Secret files a COPY/ADD from the build context names (not whole folders: see build-context-leak). */
function copiedSecrets(image: Image, c: CopyInstr): string[] {
  if (c.from !== null || c.heredoc) return [];
  const out: string[] = [];
  for (const s of c.sources) {
    const v = s.value.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
    if (v === '' || v === '.' || v.includes('$') || /^[a-z][a-z0-9+.-]*:\/\//i.test(v)) continue;
    const last = v.replace(/\/+$/, '').split('/').pop() ?? '';
    if (/[*?[]/.test(v)) {
      if (last === '*') continue; // a folder's content: build-context-leak's concern
      for (const f of globMatches(image, v)) if (matchSecretFile(f)) out.push(f);
    } else if (matchSecretFile(v)) {
      out.push(v);
    }
  }
  return [...new Set(out)];
}

function check(image: Image): RawResult[] {
  const df = image.dockerfile;
  const target = image.name;
  const out: RawResult[] = [];
  for (const d of df.declarations) {
    const msg = declFinding(df, d);
    if (msg) out.push(fail(target, loc(df.path, d.range), msg));
  }
  for (const s of image.reachableStages) {
    for (const c of s.copies) {
      const files = copiedSecrets(image, c);
      if (!files.length) continue;
      const names =
        files
          .slice(0, 5)
          .map((f) => `\`${f}\``)
          .join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');
      out.push(
        fail(
          target,
          loc(df.path, c.instr.range),
          `${c.keyword} puts the secret file${files.length > 1 ? 's' : ''} ${names} into ${stageName(df, s.index)}, whose layers keep ${files.length > 1 ? 'them' : 'it'} even if deleted later; mount ${files.length > 1 ? 'them' : 'it'} only where needed with \`RUN --mount=type=secret\` and add ${files.length > 1 ? 'them' : 'it'} to \`.dockerignore\`.`,
        ),
      );
    }
  }
  if (out.length) return out;
  const secretMounts = image.reachableStages.some((s) => s.runs.some((r) => r.mounts.some((m) => m.type === 'secret')));
  return [
    pass(
      target,
      fromLoc(image),
      'no secret-like ARG/ENV literal and no secret file copied in',
      secretMounts ? 'secrets via `RUN --mount=type=secret`' : 'no secrets in ENV/ARG or copied files',
    ),
  ];
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/no-secrets',
    title: 'No secrets baked into the image',
    severity: 'critical',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['DL3064', 'DS-0031', 'SecretsUsedInArgOrEnv', 'CIS-DI-0010'],
    rationale:
      "Everything a Dockerfile writes is part of the image: ENV values sit in the image config, ARG values used by RUN and every COPY'd file sit in " +
      'the layer history, and deleting a file in a later layer does not remove it from the earlier one. Anyone who can pull the image (a registry ' +
      'reader, a CI cache, a leaked tarball) can read `docker history` or extract the layers. Secrets belong to run time (environment, mounted ' +
      'secrets) or to BuildKit secret mounts, which are never stored in a layer. A secret-like ENV or ARG whose value is the path of a file ' +
      '(`ENV JWT_SECRET_KEY=/app/config/jwt/private.pem`) holds no secret, as in secrets/no-hardcoded: the path is relative, under a ' +
      'usual top folder (`/run/`, `/etc/`, `/app/`, ...) or names a key or certificate file; the file itself, if copied, is judged as a file.',
    fix: 'Remove the literal (keep `ARG NAME` without a default or pass the value at run time), and give build steps their credentials with `RUN --mount=type=secret,id=...` instead of COPY.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: 'FROM node:22-alpine\nENV API_TOKEN=sk-live-0123456789abcdef\nCOPY .npmrc /root/.npmrc\nRUN npm ci\n',
        extraFiles: { '.npmrc': '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n' },
      },
      good: {
        file: 'Dockerfile',
        content:
          'FROM node:22-alpine\nARG API_TOKEN\nCOPY package.json package-lock.json ./\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n',
      },
    },
  },
  check(project) {
    return project.images.flatMap(check);
  },
};

export default rule;
