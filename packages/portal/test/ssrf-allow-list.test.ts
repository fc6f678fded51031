import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * Back-channel logout to private addresses (SPEC §3.7, ENVIRONMENT.md): oidc-provider refuses them
 * as SSRF; exactly the origins in BACKCHANNEL_LOGOUT_ALLOWED_ORIGINS get through, nothing else.
 */
test('only allow-listed private origins receive back-channel logout tokens', async () => {
  const root = resolve(import.meta.dirname, '../../..');
  const { stdout } = await promisify(execFile)(join(root, 'node_modules/.bin/tsx'), [join(import.meta.dirname, 'fixtures/backchannel-allow-list.mts')], {
    cwd: root,
    env: { ...process.env, TEST_LOG_LEVEL: 'silent' },
  });
  const result = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(result.allowed).toBe('delivered');
  expect(result.other).toMatch(/^refused: .*special-use IP address/);
  expect(result.receivedAllowed).toBe(1);
  expect(result.receivedOther).toBe(0);
}, 60_000);
