export { createRelyingParty, consoleLogger, sessionOf, localPath, type RelyingParty, type RelyingPartyOptions, type RpLogger } from './relying-party.js';
export type { AppSession, ListedSession } from './session-store.js';
export { migrateRpKit, rpKitMigrationsTable } from './migrations/index.js';
export { RpError, AppError, InvalidForm } from './errors.js';
export { html, escapeHtml, SafeHtml } from '@portal/common';
export { messageBody, orgTable } from './views.js';
export { csrfField, type FormHandler } from './form-post.js';
export { textField, selectField, fieldError, invalidAttrs, errorSummary, errorTitle, type TextFieldOptions } from './form-fields.js';
export { systemClock, type Clock } from './clock.js';
export { formatDate, formatDateTime } from './dates.js';
export {
  orgsFromClaims,
  isVaccineCoordinator,
  orgsWithRole,
  roleLabel,
  coordinatorLabel,
  registryRoles,
  coordinatorKinds,
  type OrgAccess,
  type RegistryRole,
  type Coordinator,
} from './orgs.js';
export { readAppSettings, AppSettingsError, type AppKey, type AppSettings } from './app-env.js';
export { startApp, type AppOptions, type StartAppHooks } from './start-app.js';
export {
  createAccessTokenVerifier,
  requireAccessToken,
  createMachineTokens,
  AccessTokenRefused,
  MachineTokenError,
  type VerifiedAccessToken,
  type VerifyAccessToken,
  type MachineTokens,
} from './machine-tokens.js';
