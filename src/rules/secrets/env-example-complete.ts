import { posix } from 'node:path';
import { isSecretName } from '../../knowledge/secrets.js';
import type { ComposeProject, VarRef } from '../../model/compose.js';
import type { EnvExample, Project } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { provLoc } from '../_compose.js';
import { fail, pass } from '../_util.js';

/**
 * secrets/env-example-complete (one verdict per compose project, every environment considered):
 * every variable a deployer has to provide is listed in an example env file.
 *
 * Variables to provide: those used without a fallback (`$X`, `${X}`, `${X:?msg}`, `${X?msg}`) at
 * the top level of a value, in any environment of the project; and secret-like variables used with
 * a fallback (`${REDIS_PASSWORD:-dev_only_password}`), since that fallback is for development only
 * and production has to set them (the missing `.env.example` of a stack whose every secret has a
 * development default is the case this covers). Variables with a non-secret fallback
 * (`${LOG_LEVEL:-info}`) and uses nested in another use's fallback are optional.
 *
 * Example files (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`, ...; names only are
 * read, see Project.envExamples) count when they are in the project's folder; when there is none
 * there, those of the nearest parent folder count (a `deploy/` project documented at the root).
 *
 * Results: one fail per missing variable at its first use; with no example file at all, one fail
 * at line 1 of the project's base file listing every variable; otherwise one pass, e.g.
 * "`.env.example` lists all 3 variables".
 */

interface Needed {
  name: string;
  first: VarRef;
  secretWithFallback: boolean;
}

function needed(compose: ComposeProject): Needed[] {
  const out = new Map<string, Needed>();
  for (const env of compose.environments) {
    for (const ref of env.variables) {
      const u = ref.use;
      if (u.depth > 0 || u.op === ':+' || u.op === '+') continue;
      const secretWithFallback = u.hasDefault && isSecretName(u.name);
      if (u.hasDefault && !secretWithFallback) continue;
      const cur = out.get(u.name);
      if (!cur) out.set(u.name, { name: u.name, first: ref, secretWithFallback });
      else if (cur.secretWithFallback && !secretWithFallback) cur.secretWithFallback = false;
    }
  }
  return [...out.values()];
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** Example files of the project's folder, or of the nearest parent folder that has some. */
function examplesFor(project: Project, dir: string): EnvExample[] {
  let d = dir;
  for (;;) {
    const here = project.envExamples.filter((e) => dirOf(e.path) === d);
    if (here.length || d === '') return here;
    d = dirOf(d);
    if (d === '.') d = '';
  }
}

const rule: Rule = {
  meta: {
    id: 'secrets/env-example-complete',
    title: 'Example env file lists every variable to set',
    severity: 'low',
    family: 'secrets',
    target: 'project',
    env: 'all',
    aliases: [],
    rationale:
      'The `.env` file that holds real values is (rightly) not in the repository, so the committed `.env.example` is the only ' +
      'place that tells the next developer or the deployment pipeline which variables the compose files expect. A variable that ' +
      `is missing there is discovered at deploy time: compose refuses to start (\`\${X:?}\`), silently substitutes an empty string ` +
      `(\`\${X}\`), or, for a secret with a development fallback, starts production with the development password.`,
    fix: 'Add every variable the compose files require (and every secret they give a development fallback) to `.env.example`, with an empty or placeholder value and a comment.',
    examples: {
      bad: {
        file: 'docker-compose.yml',
        content: `services:\n  app:\n    image: alpine:3.20\n    environment:\n      API_TOKEN: \${API_TOKEN:?API_TOKEN is required}\n`,
        extraFiles: { '.env.example': '# Copy to .env\nLOG_LEVEL=info\n' },
      },
      good: {
        file: 'docker-compose.yml',
        content: `services:\n  app:\n    image: alpine:3.20\n    environment:\n      API_TOKEN: \${API_TOKEN:?API_TOKEN is required}\n`,
        extraFiles: { '.env.example': '# Copy to .env\nAPI_TOKEN=\n' },
      },
    },
  },
  check(project) {
    const out: RawResult[] = [];
    for (const compose of project.compose) {
      const base = compose.environments[0]?.files[0];
      if (!base) continue;
      const line1 = { file: base, line: 1, column: 1, endLine: 1, endColumn: 1 };
      const need = needed(compose);
      const examples = examplesFor(project, compose.dir);
      const exampleNames = examples.map((e) => `\`${posix.basename(e.path)}\``).join(', ');
      if (need.length === 0) {
        out.push(pass(base, line1, 'the compose files require no variables', 'no required variables'));
        continue;
      }
      if (examples.length === 0) {
        const names = need.map((n) => `\`${n.name}\``).join(', ');
        out.push(
          fail(
            base,
            line1,
            `No \`.env.example\` documents the ${need.length} variable${need.length > 1 ? 's' : ''} these compose files expect (${names}), so whoever deploys them learns of each one when compose fails or starts with an empty or development value; commit a \`.env.example\` beside ${posix.basename(base)} listing them with placeholder values.`,
          ),
        );
        continue;
      }
      const listed = new Set(examples.flatMap((e) => e.names));
      const missing = need.filter((n) => !listed.has(n.name));
      if (missing.length === 0) {
        const evidence = `${exampleNames} lists all ${need.length} variable${need.length > 1 ? 's' : ''}`;
        out.push(pass(base, { file: examples[0].path, line: 1, column: 1, endLine: 1, endColumn: 1 }, evidence, evidence));
        continue;
      }
      for (const n of missing) {
        const why = n.secretWithFallback
          ? 'a secret whose fallback is for development only, so production must set it'
          : n.first.use.required
            ? 'compose refuses to start without it'
            : 'compose substitutes an empty string when it is unset';
        out.push(
          fail(
            base,
            provLoc(n.first.prov),
            `\`${n.name}\` is not listed in ${exampleNames} (${why}); add \`${n.name}=\` with a comment saying what it is.`,
          ),
        );
      }
    }
    return out;
  },
};

export default rule;
