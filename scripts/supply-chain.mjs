#!/usr/bin/env node
// Dependencies and secrets (issue 14, part 6). The registry here does not answer `pnpm audit`
// (HTTP 405), so CI instead keeps:
//   1. a CycloneDX SBOM of what ships (pnpm's own `sbom`, production dependencies) in ci-artifacts/;
//   2. a licence check of the production dependencies: permissive licences only, exceptions listed
//      below with their reason;
//   3. a scan of every tracked file for committed secrets (secretlint, its recommended rules).
// Prints a summary, or with --json one JSON object (the security suite reads it); exits 1 on a finding.
//   pnpm audit:supply-chain [--json] [--files a b …]   (--files: scan those instead of git's list)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const filesAt = args.indexOf('--files');
// The pnpm that started us: a script (pnpm.cjs) runs under node, pnpm 12's own executable runs as it is
// (CI's `npm i -g pnpm@12` installs an ELF binary, which node cannot load).
const execpath = process.env.npm_execpath;
const pnpm = execpath?.includes('pnpm') ? (/\.[cm]?js$/.test(execpath) ? [process.execPath, execpath] : [execpath]) : ['pnpm'];
const run = (cmd, cmdArgs, options = {}) => execFileSync(cmd[0], [...cmd.slice(1), ...cmdArgs], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });

/** SPDX ids a production dependency may carry (alone, or as one side of an OR). */
export const permissive = new Set(['MIT', 'MIT-0', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', '0BSD', 'CC0-1.0', 'Unlicense', 'BlueOak-1.0.0', 'Python-2.0', 'CC-BY-4.0']);

/** Packages whose metadata pnpm cannot read as a permissive licence, each checked by hand. */
export const exceptions = {
  'thirty-two@1.0.2': 'MIT: its LICENSE.txt is the MIT text; its package.json names it in the old "licenses" array, which pnpm does not read (via otplib).',
};

/** Whether an SPDX expression (or pnpm's looser spellings of one) allows use under a permissive licence. */
export function allowed(expression) {
  const normal = expression.replace(/^\((.*)\)$/, '$1').replace(/Apache 2\.0/g, 'Apache-2.0').replace(/CC0 1\.0/g, 'CC0-1.0');
  return normal.split(/\s+OR\s+/).some((choice) => choice.replace(/^\((.*)\)$/, '$1').split(/\s+AND\s+/).every((id) => permissive.has(id.trim())));
}

function sbom() {
  const out = join(root, 'ci-artifacts', 'sbom.cdx.json');
  mkdirSync(dirname(out), { recursive: true });
  run(pnpm, ['-r', 'sbom', '--sbom-format', 'cyclonedx', '--sbom-type', 'application', '--prod', '--out', out]);
  const components = JSON.parse(readFileSync(out, 'utf8')).components?.length ?? 0;
  return { file: relative(root, out), components, bytes: statSync(out).size };
}

function licences() {
  const byLicence = JSON.parse(run(pnpm, ['-r', 'licenses', 'list', '--prod', '--json']));
  const refused = [];
  const excused = [];
  let packages = 0;
  for (const [licence, list] of Object.entries(byLicence)) {
    for (const p of list) {
      for (const version of p.versions) {
        packages++;
        const id = `${p.name}@${version}`;
        if (allowed(licence)) continue;
        if (exceptions[id]) excused.push({ id, licence, reason: exceptions[id] });
        else refused.push({ id, licence });
      }
    }
  }
  return { packages, licences: Object.keys(byLicence).length, refused, excused };
}

function secrets() {
  const files = filesAt >= 0 ? args.slice(filesAt + 1) : run(['git'], ['ls-files', '-z']).split('\0').filter(Boolean);
  const bin = join(root, 'node_modules', '.bin', 'secretlint');
  const findings = [];
  // In batches: a few thousand paths would pass the argument-length limit.
  for (let i = 0; i < files.length; i += 400) {
    const result = spawnSync(bin, ['--format', 'json', '--secretlintrc', join(root, '.secretlintrc.json'), ...files.slice(i, i + 400)], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (result.status !== 0 && result.status !== 1) throw new Error(`secretlint failed: ${result.stderr.slice(0, 500)}`);
    for (const file of JSON.parse(result.stdout || '[]')) {
      // Where and which rule, never the matched text: a finding must not print the secret again.
      for (const m of file.messages) findings.push({ file: relative(root, file.filePath), line: m.loc?.start?.line, rule: m.ruleId });
    }
  }
  return { files: files.length, findings };
}

// Imported (the security suite checks `allowed`), nothing runs.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const report = { sbom: sbom(), licences: licences(), secrets: secrets() };
  const failed = report.licences.refused.length > 0 || report.secrets.findings.length > 0;
  if (asJson) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    const { sbom: s, licences: l, secrets: x } = report;
    console.log(`SBOM: ${s.file} (CycloneDX, ${s.components} components)`);
    console.log(`Licences: ${l.packages} production packages under ${l.licences} licences; ${l.refused.length} refused, ${l.excused.length} excused`);
    for (const r of l.refused) console.log(`  refused  ${r.id}: ${r.licence}`);
    for (const e of l.excused) console.log(`  excused  ${e.id} (${e.licence}): ${e.reason}`);
    console.log(`Secrets: ${x.files} files scanned, ${x.findings.length} findings`);
    for (const f of x.findings) console.log(`  ${f.file}:${f.line} ${f.rule}`);
  }
  process.exit(failed ? 1 : 0);
}
