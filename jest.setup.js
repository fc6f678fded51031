// Two oidc-provider warnings that are facts of the test set-up, not findings, and that bury real
// output: Node 20 is "unsupported" (it works; ENVIRONMENT.md), and jest's module sandbox hides the
// fetch dispatcher its SSRF guard is built from (the guard is tested in a plain Node process:
// packages/portal/test/ssrf-allow-list.test.ts). Everything else is printed as usual.
const quiet = [/^oidc-provider WARNING: Unsupported runtime/, /^oidc-provider WARNING: failed to setup SSRF protection/];
const warn = console.warn.bind(console);
console.warn = (...args) => {
  if (typeof args[0] === 'string' && quiet.some((pattern) => pattern.test(args[0]))) return;
  warn(...args);
};
