// The Print button of the Official Immunization Record. A file, not an inline handler: the CSP allows
// only scripts from 'self'. The button is hidden until this runs, so without script no button is dead.
for (const button of document.querySelectorAll('[data-print-record]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
