// The chrome every page of the portal and the apps shares (packages/common/src/chrome.ts). One file
// served at /static/common/chrome.js, because the CSP allows no inline script.
//  - The official-website banner's "Here's how you know" opens and closes its explanation (the
//    markup is USWDS's; this is the small part of USWDS's script the banner needs).
//  - Tables stack on narrow screens (usa-table--stacked): each cell gets its column's heading as
//    data-label, which the stacked layout shows beside the value. Without the script the table
//    still reads correctly in its container.
(function () {
  'use strict';
  var button = document.querySelector('.usa-banner__button');
  var content = document.getElementById('official-banner');
  var header = document.querySelector('.usa-banner__header');
  if (button && content && header) {
    button.addEventListener('click', function () {
      var open = button.getAttribute('aria-expanded') === 'true';
      button.setAttribute('aria-expanded', open ? 'false' : 'true');
      content.hidden = open;
      header.classList.toggle('usa-banner__header--expanded', !open);
    });
  }
  var tables = document.querySelectorAll('table.usa-table--stacked');
  for (var t = 0; t < tables.length; t++) {
    var headings = tables[t].querySelectorAll('thead th');
    if (!headings.length) continue;
    var rows = tables[t].querySelectorAll('tbody tr');
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].children;
      for (var c = 0, col = 0; c < cells.length && col < headings.length; c++) {
        if (!cells[c].hasAttribute('data-label')) cells[c].setAttribute('data-label', headings[col].textContent.trim());
        col += Number(cells[c].getAttribute('colspan')) || 1;
      }
    }
  }
})();
