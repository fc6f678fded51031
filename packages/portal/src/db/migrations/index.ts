import { listedMigrations, type Knex } from '@portal/db';
import * as initial from './001-initial.js';
import * as accountProtection from './002-account-protection.js';
import * as sessionActivity from './003-session-activity.js';
import * as flowSteps from './004-flow-steps.js';
import * as auditChain from './005-audit-chain.js';
import * as administration from './006-administration.js';
import * as payloadLookups from './007-payload-lookups.js';
import * as flowUserUnchecked from './008-flow-user-unchecked.js';
import * as secondFactors from './009-second-factors.js';
import * as passkeys from './010-passkeys.js';
import * as captchaAudio from './011-captcha-audio.js';

// Migrations are listed here, not discovered on disk, so they run the same under tsx, jest and a build.
const migrations: Record<string, Knex.Migration> = {
  '001-initial': initial,
  '002-account-protection': accountProtection,
  '003-session-activity': sessionActivity,
  '004-flow-steps': flowSteps,
  '005-audit-chain': auditChain,
  '006-administration': administration,
  '007-payload-lookups': payloadLookups,
  '008-flow-user-unchecked': flowUserUnchecked,
  '009-second-factors': secondFactors,
  '010-passkeys': passkeys,
  '011-captcha-audio': captchaAudio,
};

export const migrationSource = listedMigrations(migrations);
