/** The one registry of rules. A test checks every rule file is listed here, documented and tested. */
import type { Rule } from '../types.js';
import dockerfile_nonRootUser from './dockerfile/non-root-user.js';
import dockerfile_numericUid from './dockerfile/numeric-uid.js';
import dockerfile_multiStage from './dockerfile/multi-stage.js';
import dockerfile_minimalBase from './dockerfile/minimal-base.js';
import dockerfile_pinnedBase from './dockerfile/pinned-base.js';
import dockerfile_digestPinnedBase from './dockerfile/digest-pinned-base.js';
import dockerfile_execForm from './dockerfile/exec-form.js';
import dockerfile_healthcheck from './dockerfile/healthcheck.js';
import dockerfile_healthcheckTools from './dockerfile/healthcheck-tools.js';
import dockerfile_noCacheBloat from './dockerfile/no-cache-bloat.js';
import dockerfile_noInstallRecommends from './dockerfile/no-install-recommends.js';
import dockerfile_updateWithInstall from './dockerfile/update-with-install.js';
import dockerfile_noSecrets from './dockerfile/no-secrets.js';
import dockerfile_buildContextLeak from './dockerfile/build-context-leak.js';
import dockerfile_copyNotAdd from './dockerfile/copy-not-add.js';
import dockerfile_noSudo from './dockerfile/no-sudo.js';
import dockerfile_pipefail from './dockerfile/pipefail.js';
import dockerfile_noRemoteScript from './dockerfile/no-remote-script.js';
import dockerfile_tlsVerification from './dockerfile/tls-verification.js';
import dockerfile_telemetryDisabled from './dockerfile/telemetry-disabled.js';
import dockerfile_noSshPort from './dockerfile/no-ssh-port.js';
import dockerfile_validStructure from './dockerfile/valid-structure.js';
import dockerfile_initProcess from './dockerfile/init-process.js';
import dockerfile_cacheMounts from './dockerfile/cache-mounts.js';
import secrets_envFileIgnored from './secrets/env-file-ignored.js';

export const RULES: Rule[] = [
  dockerfile_nonRootUser,
  dockerfile_numericUid,
  dockerfile_multiStage,
  dockerfile_minimalBase,
  dockerfile_pinnedBase,
  dockerfile_digestPinnedBase,
  dockerfile_execForm,
  dockerfile_healthcheck,
  dockerfile_healthcheckTools,
  dockerfile_noCacheBloat,
  dockerfile_noInstallRecommends,
  dockerfile_updateWithInstall,
  dockerfile_noSecrets,
  dockerfile_buildContextLeak,
  dockerfile_copyNotAdd,
  dockerfile_noSudo,
  dockerfile_pipefail,
  dockerfile_noRemoteScript,
  dockerfile_tlsVerification,
  dockerfile_telemetryDisabled,
  dockerfile_noSshPort,
  dockerfile_validStructure,
  dockerfile_initProcess,
  dockerfile_cacheMounts,
  secrets_envFileIgnored,
];

export const RULES_BY_ID: Map<string, Rule> = new Map(RULES.map((r) => [r.meta.id, r]));
