import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: `COPY . .`/`ADD .` (or a broad directory copy) while the build context holds `.env` files (not `.env.example`), `.git`, private keys or credentials that the context's `.dockerignore` (or `<Dockerfile>.dockerignore`) does not exclude — judged with real dockerignore semantics; with no such file present now, a context whose `.dockerignore` is missing or does not exclude `.env`/`.git` is still a finding (medium), since gitignored `.env` files live in developers' trees
// Passes when: Evidence: "`.dockerignore` excludes .env, .git"
const rule: Rule = {
  meta: {
    id: 'dockerfile/build-context-leak',
    title: 'TODO',
    severity: 'high',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: ['CopyIgnoredFile (inverse)'],
    rationale: 'TODO',
    fix: 'TODO',
    examples: {
      bad: { file: 'Dockerfile', content: 'FROM alpine:3.20\n' },
      good: { file: 'Dockerfile', content: 'FROM alpine:3.20\n' },
    },
  },
  check() {
    return [];
  },
};

export default rule;
