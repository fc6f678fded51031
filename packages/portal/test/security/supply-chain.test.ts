import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordSecurityResult } from '@portal/portal/testing';

/**
 * Dependencies and secrets (issue 14, part 6), by the same script CI's readers run
 * (`pnpm audit:supply-chain`): an SBOM of what ships, permissive licences only, no committed secret.
 */
const script = fileURLToPath(new URL('../../../../scripts/supply-chain.mjs', import.meta.url));

interface Report {
  sbom: { file: string; components: number };
  licences: { packages: number; refused: { id: string; licence: string }[]; excused: { id: string }[] };
  secrets: { files: number; findings: { file: string; line: number; rule: string }[] };
}

function supplyChain(...args: string[]): Promise<{ code: number; report: Report; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, '--json', ...args], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? Number((err as { code?: number }).code ?? 1) : 0;
      try {
        resolve({ code, report: JSON.parse(stdout) as Report, stdout });
      } catch {
        reject(new Error(`supply-chain.mjs printed no report (exit ${code}): ${stderr.slice(0, 500)}`));
      }
    });
  });
}

test('what ships has an SBOM, only permissive licences (exceptions named), and no secret is committed', async () => {
  const { code, report } = await supplyChain();
  expect(report.licences.refused).toEqual([]);
  expect(report.secrets.findings).toEqual([]);
  expect(code).toBe(0);
  expect(report.sbom.components).toBeGreaterThan(100);
  expect(report.secrets.files).toBeGreaterThan(300);
  recordSecurityResult({
    check: 'supply chain: licences and secrets',
    figures: { sbomComponents: report.sbom.components, productionPackages: report.licences.packages, refused: report.licences.refused.length, excused: report.licences.excused.length, filesScanned: report.secrets.files, secretsFound: report.secrets.findings.length },
  });
}, 120_000);

test('the scan finds a committed private key, and says where without printing it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'planted-'));
  try {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const file = join(dir, 'deploy-key.ts');
    writeFileSync(file, `// oops\nexport const key = \`${pem}\`;\n`);
    const { code, report, stdout } = await supplyChain('--files', file);
    expect(code).toBe(1);
    expect(report.secrets.findings).toEqual([expect.objectContaining({ line: 2, rule: expect.stringMatching(/privatekey/i) })]);
    expect(stdout).not.toContain(pem.split('\n')[1]!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

test('a licence counts as permissive only when every part of some choice is', async () => {
  const { allowed } = (await import(script)) as { allowed(expression: string): boolean };
  expect(['MIT', '(MIT OR GPL-3.0)', 'Apache 2.0 OR CC0 1.0 OR MIT', '(BSD-2-Clause OR MIT OR Apache-2.0)', 'MIT AND ISC'].filter(allowed)).toHaveLength(5);
  expect(['GPL-3.0', 'AGPL-3.0-only', 'MIT AND GPL-2.0', 'Unknown', 'SEE LICENSE IN LICENSE', 'UNLICENSED'].filter(allowed)).toEqual([]);
});
