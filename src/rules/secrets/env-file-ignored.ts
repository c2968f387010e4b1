import type { Project } from '../../model/project.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, pass } from '../_util.js';

const LINE1 = { line: 1, column: 1, endLine: 1, endColumn: 1 };

function check(project: Project): RawResult[] {
  const out: RawResult[] = [];
  for (const f of project.envFiles) {
    if (f.isExample) continue;
    const where = { file: f.path, ...LINE1 };
    if (f.tracked === true) {
      out.push(
        fail(
          f.path,
          where,
          `\`${f.path}\` is tracked by git${f.gitignored ? ' (it was committed before, or added with `git add -f`, so .gitignore does not apply)' : ''}: its values are in the repository history for everyone with access; run \`git rm --cached ${f.path}\`, add it to \`.gitignore\` and rotate the secrets it held.`,
        ),
      );
    } else if (!f.gitignored) {
      out.push(
        fail(
          f.path,
          where,
          `\`${f.path}\` is not covered by \`.gitignore\`, so the next \`git add .\` commits its secrets to the repository history; add \`.env\` (or \`.env*\` with \`!.env.example\`) to \`.gitignore\`.`,
        ),
      );
    } else {
      out.push(
        pass(f.path, where, `\`${f.path}\` is gitignored${f.tracked === false ? ' and not tracked' : ''}`, `\`${f.path}\` gitignored`),
      );
    }
  }
  if (out.length) return out;
  // No real .env file: say so, at the root .gitignore when there is one.
  const gitignore = project.files.gitignores.find((g) => g === '.gitignore') ?? '';
  const examples = project.envFiles.filter((f) => f.isExample).length;
  return [
    pass(
      project.name,
      { file: gitignore, ...LINE1 },
      `no \`.env\` file with real values in the repository${examples ? ` (only ${examples} example file${examples > 1 ? 's' : ''})` : ''}`,
      'no `.env` files',
    ),
  ];
}

const rule: Rule = {
  meta: {
    id: 'secrets/env-file-ignored',
    title: '.env files are gitignored and untracked',
    severity: 'high',
    family: 'secrets',
    target: 'repository',
    env: 'all',
    aliases: [],
    rationale:
      'A `.env` file holds the real values behind `${VAR}` in compose files: database passwords, API keys, signing secrets. Once committed, they ' +
      'are in the history of every clone and fork and stay there after the file is deleted; a `.env` that is not gitignored is one `git add .` away ' +
      'from that. Only templates (`.env.example`, `.env.sample`, `.env.template`) with placeholder values belong in git.',
    fix: 'Add `.env` (or `.env*` with `!.env.example`) to `.gitignore`; for a tracked file run `git rm --cached .env` and rotate the secrets it held.',
    examples: {
      bad: {
        file: '.gitignore',
        content: 'node_modules/\n',
        extraFiles: { '.env': 'POSTGRES_PASSWORD=not-a-real-secret\n' },
      },
      good: {
        file: '.gitignore',
        content: 'node_modules/\n.env\n',
        extraFiles: { '.env': 'POSTGRES_PASSWORD=not-a-real-secret\n', '.env.example': 'POSTGRES_PASSWORD=\n' },
      },
    },
  },
  check,
};

export default rule;
