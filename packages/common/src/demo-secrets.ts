/**
 * Development only: the client secrets the portal's demo data registers for the three apps, and
 * that each app uses when its *_CLIENT_SECRET is unset outside production. Both sides read them
 * here, so an app never loads portal code to find its own development secret.
 */
export const demoClientSecrets = {
  registry: 'dev-only-registry-secret-0123456789abcdef',
  enrollment: 'dev-only-enrollment-secret-0123456789abcdef',
  ordering: 'dev-only-ordering-secret-0123456789abcdef',
} as const;
