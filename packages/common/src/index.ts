/** What the provider and the relying parties must agree on, and nothing else. */
export { html, escapeHtml, SafeHtml } from './html.js';
export { registryRoles, coordinatorKinds, roleLabel, coordinatorLabel, type RegistryRole, type Coordinator } from './roles.js';
