import type { Rule } from '../../types.js';

// STUB: generated from RULES.md; implement check() and fill rationale, fix and examples.
// Fails when: the image runs a framework that phones home and does not opt out: Next.js (`next` in the context's package.json, `next build/start`, `.next/standalone`) without `NEXT_TELEMETRY_DISABLED=1`; likewise Nuxt, Gatsby, Astro, Angular CLI, .NET SDK (`DOTNET_CLI_TELEMETRY_OPTOUT`)
// Passes when: Evidence: `` `NEXT_TELEMETRY_DISABLED=1` ``
const rule: Rule = {
  meta: {
    id: 'dockerfile/telemetry-disabled',
    title: 'TODO',
    severity: 'low',
    family: 'dockerfile',
    target: 'image',
    env: 'all',
    aliases: [],
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
