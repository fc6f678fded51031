export { createApp, type AppOptions, type EnrollmentOptions } from './app.js';
export { prepareEnrollment } from './prepare.js';
export { createPortalCredentials, type PortalCredentials, type Hl7Credential } from './libraries/portal-credentials.js';
