// Presses the page's one [data-auto-submit] button once it has loaded (the portal's "Signing you
// out" page). A file, not inline script: the CSP allows scripts from the portal's origin only.
document.querySelector('[data-auto-submit]')?.click();
