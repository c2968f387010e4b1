import type { Project } from '../../model/project.js';
import type { ImageCoverage } from '../../model/workflow.js';
import type { RawResult, Rule } from '../../types.js';
import { fail, pass, unknown } from '../_util.js';
import { imageFromLoc, noCiPhrase, noWorkflows, PLAIN_RELEASE_WORKFLOW, where } from './_ci.js';

function check(project: Project, cov: ImageCoverage): RawResult {
  const target = cov.dockerfile.path;
  if (cov.signatures.length) {
    const s = cov.signatures[0];
    return pass(
      target,
      s.location,
      `the image built from \`${target}\` is signed with ${s.tool} (${where(s.location)})`,
      `${s.tool} in \`${s.workflow.path}\``,
    );
  }
  const at = imageFromLoc(cov);
  if (cov.signingUnknown)
    return unknown(target, at, `Whether the image built from \`${target}\` is signed is decided at run time: ${cov.signingUnknown}.`);
  if (cov.builds.length) {
    const b = cov.builds[0];
    return fail(
      target,
      at,
      `\`${target}\` is built in CI (${where(b.use.location)}) but its image is not signed, so nothing lets a deployment verify it came from this pipeline; sign the pushed digest with \`cosign sign --yes <image>@<digest>\` (keyless, with ${
        b.use.workflow.platform === 'gitlab' ? '`id_tokens: {SIGSTORE_ID_TOKEN: {aud: sigstore}}` on the job' : '`id-token: write`'
      }) or \`notation sign\`.`,
    );
  }
  return fail(
    target,
    at,
    noWorkflows(project)
      ? `The repository has ${noCiPhrase(project)}, so the image built from \`${target}\` is neither built nor signed in a pipeline; build, push and sign it in CI (\`cosign sign\`) so deployments can verify where it came from.`
      : `No CI workflow builds and signs the image of \`${target}\`, so deployments cannot verify where it came from; build and push it in CI and sign the digest with \`cosign sign\` or \`notation sign\`.`,
  );
}

const rule: Rule = {
  meta: {
    id: 'ci/image-signing',
    title: 'Built images are signed',
    severity: 'info',
    family: 'ci',
    target: 'image',
    env: 'all',
    aliases: [],
    rationale:
      'A signature ties an image digest to the pipeline that built it, so a registry or cluster policy (cosign verify, Kyverno, Connaisseur, ' +
      'Notation) can refuse images pushed by anyone else. It matters most for images pulled from public or shared registries; the reference ' +
      'leaves it out for operational overhead, which is a fine choice to record as a waiver. A signing step covers only the image it names ' +
      '(a pushed tag, or `steps.<build id>.outputs.digest`): `cosign sign ghcr.io/acme/api@...` does not sign `ghcr.io/acme/web` built in the ' +
      "same job. One whose reference is only known at run time (`cosign sign $IMAGE`) counts for the job's only build; when the job builds " +
      "several images, which it signs is unknown. A build's image names are its `tags` and the `name=` of its `outputs` " +
      '(`type=image,name=ghcr.io/acme/api,push-by-digest=true,push=true`).',
    fix: 'After pushing, sign the digest in the same job: `sigstore/cosign-installer` then `cosign sign --yes <image>@${{ steps.build.outputs.digest }}` (keyless, with `permissions: id-token: write`), or `notation sign`. If signing is not wanted, waive this rule with the reason.',
    examples: {
      bad: {
        file: '.github/workflows/release.yml',
        content: PLAIN_RELEASE_WORKFLOW,
        extraFiles: { Dockerfile: 'FROM python:3.12-slim\n' },
      },
      good: {
        file: '.github/workflows/release.yml',
        content:
          'on:\n  push:\n    tags: ["v*"]\npermissions:\n  contents: read\n  packages: write\n  id-token: write\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: sigstore/cosign-installer@v3\n      - id: build\n        uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: ghcr.io/acme/app:${{ github.ref_name }}\n      - run: cosign sign --yes ghcr.io/acme/app@${{ steps.build.outputs.digest }}\n',
        extraFiles: { Dockerfile: 'FROM python:3.12-slim\n' },
      },
    },
  },
  check(project) {
    return project.ci.images.map((cov) => check(project, cov));
  },
};

export default rule;
