import { globRegex, matchSecretFile } from '../../knowledge/secrets.js';
import type { CopyInstr, Stage } from '../../model/dockerfile.js';
import type { Image } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, fromLoc, loc, pass } from '../_util.js';

interface BroadCopy {
  copy: CopyInstr;
  stage: Stage;
  /** The source sends the whole context (`.`, `./`, `*`). */
  whole: boolean;
  /** Context files the sources send (before .dockerignore). */
  sent: string[];
}

/** Normalizes a COPY source to a context-relative path ('' for the context root), or null when dynamic or a URL. */
function normalizeSource(v: string): string | null {
  if (v.includes('$') || /^[a-z][a-z0-9+.-]*:\/\//i.test(v) || v.startsWith('git@')) return null;
  const parts: string[] = [];
  for (const p of v.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return parts.join('/');
}

/** Context files sent by one source: the path itself, everything under it, or what its glob matches (and their contents). */
function sentBy(files: string[], src: string): { whole: boolean; files: string[]; single: boolean } {
  if (src === '' || src === '*') return { whole: true, files, single: false };
  if (/[*?[]/.test(src)) {
    const re = globRegex(src);
    const depth = src.split('/').length;
    const out = files.filter((f) => re.test(f.split('/').slice(0, depth).join('/')));
    return { whole: false, files: out, single: false };
  }
  const under = files.filter((f) => f.startsWith(`${src}/`));
  if (under.length) return { whole: false, files: under, single: false };
  return { whole: false, files: files.filter((f) => f === src), single: true };
}

function broadCopies(image: Image): BroadCopy[] {
  const out: BroadCopy[] = [];
  for (const stage of image.reachableStages) {
    for (const c of stage.copies) {
      if (c.from !== null || c.heredoc) continue;
      let whole = false;
      let broad = false;
      const sent = new Set<string>();
      for (const s of c.sources) {
        const src = normalizeSource(s.value);
        if (src === null) continue;
        const r = sentBy(image.context.files, src);
        if (r.single) continue; // a single named file: dockerfile/no-secrets judges it
        broad = true;
        whole ||= r.whole;
        for (const f of r.files) sent.add(f);
      }
      if (broad) out.push({ copy: c, stage, whole, sent: [...sent] });
    }
  }
  return out;
}

/** A sensitive context entry: `.git` (any depth) or a secret file by name. */
function sensitive(f: string): boolean {
  const segs = f.split('/');
  return segs.includes('.git') || matchSecretFile(f) !== null;
}

/** `.git/objects/x` → `.git`, so a listing names the folder once. */
function displayName(f: string): string {
  const segs = f.split('/');
  const i = segs.indexOf('.git');
  return i >= 0 ? segs.slice(0, i + 1).join('/') : f;
}

function instrText(c: CopyInstr): string {
  const t = `${c.keyword} ${c.instr.argsText.replace(/\s*\\\r?\n\s*/g, ' ').trim()}`;
  return t.length <= 40 ? `\`${t}\`` : c.keyword;
}

function check(image: Image): RawResult[] {
  const df = image.dockerfile;
  const target = image.name;
  const ctx = image.context;
  const ignoreName = ctx.dockerignore ? ctx.dockerignore.path.slice(ctx.dockerignore.path.lastIndexOf('/') + 1) : null;
  const copies = broadCopies(image);
  const out: RawResult[] = [];
  for (const b of copies) {
    const leaked = [...new Set(b.sent.filter((f) => sensitive(f) && !ctx.isIgnored(f)).map(displayName))];
    const where = loc(df.path, b.copy.instr.range);
    if (leaked.length) {
      const names =
        leaked
          .slice(0, 6)
          .map((f) => `\`${f}\``)
          .join(', ') + (leaked.length > 6 ? ` and ${leaked.length - 6} more` : '');
      const by = ignoreName ? `\`${ignoreName}\` does not exclude ${leaked.length > 1 ? 'them' : 'it'}` : 'there is no `.dockerignore`';
      out.push(
        fail(
          target,
          where,
          `${instrText(b.copy)} copies ${names} from the build context into the image and ${by}, so secrets or repository history end up in a layer; add ${leaked.length > 1 ? 'them' : 'it'} to \`.dockerignore\` (e.g. \`.env\`, \`.git\`, \`**/*.pem\`).`,
        ),
      );
      continue;
    }
    if (!b.whole) continue;
    if (!ignoreName) {
      out.push(
        fail(
          target,
          where,
          `${instrText(b.copy)} copies the whole build context and there is no \`.dockerignore\`, so any \`.env\` or \`.git\` in a developer's tree goes into the image; add a \`.dockerignore\` that excludes \`.env\` and \`.git\`.`,
          'medium',
        ),
      );
      continue;
    }
    const missing = ['.env', '.git'].filter((p) => !ctx.isIgnored(p));
    if (missing.length) {
      const list = missing.map((m) => `\`${m}\``).join(' and ');
      out.push(
        fail(
          target,
          where,
          `${instrText(b.copy)} copies the whole build context and \`${ignoreName}\` does not exclude ${list}, so a developer's ${list} would go into the image; add ${missing.join(' and ')} to \`${ignoreName}\`.`,
          'medium',
        ),
      );
    }
  }
  if (out.length) return out;
  const whole = copies.find((b) => b.whole);
  if (whole && ignoreName) {
    return [
      pass(
        target,
        loc(df.path, whole.copy.instr.range),
        `the build context is filtered by \`${ctx.dockerignore?.path}\``,
        `\`${ignoreName}\` excludes .env, .git`,
      ),
    ];
  }
  const dirs = copies.length ? '; the copied folders hold no secret files' : '';
  return [pass(target, fromLoc(image), `no COPY of the whole build context${dirs}`, 'no broad COPY')];
}

const rule: Rule = {
  meta: {
    id: 'dockerfile/build-context-leak',
    title: 'Broad COPY does not leak secrets from the build context',
    severity: 'high',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['CopyIgnoredFile'],
    rationale:
      "`COPY . .` sends everything in the build context that `.dockerignore` does not exclude, including gitignored files: a developer's `.env` " +
      'with real credentials, private keys, cloud credentials and the whole `.git` history. They end up in an image layer that anyone who can pull ' +
      'the image can read. `.gitignore` does not apply to `docker build`; only `.dockerignore` (or `<Dockerfile>.dockerignore` beside the Dockerfile) ' +
      'filters the context, and its patterns are anchored at the context root.',
    fix: 'Add a `.dockerignore` that excludes at least `.env`, `.env.*` (with `!.env.example`), `.git` and key files, or copy only the folders the image needs.',
    examples: {
      bad: {
        file: 'Dockerfile',
        content: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n',
        extraFiles: { '.env': 'SECRET_KEY=not-a-real-secret\n', 'app.py': 'print("hi")\n' },
      },
      good: {
        file: 'Dockerfile',
        content: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n',
        extraFiles: {
          '.dockerignore': '.git\n.env\n.env.*\n!.env.example\n',
          '.env': 'SECRET_KEY=not-a-real-secret\n',
          'app.py': 'print("hi")\n',
        },
      },
    },
  },
  check(project) {
    return project.images.flatMap(check);
  },
};

export default rule;
