// The idle warning on every signed-in portal page (SPEC §3.7). The server is the authority on how
// long the session has left: this only asks (/session/status, which does not count as activity),
// warns, extends on "Stay signed in" (/session/keepalive), and leaves when the time has passed.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="session-timeout"]');
  if (!meta) return;
  var warningSeconds = Number(meta.getAttribute('data-warning-seconds'));
  var idleSeconds = Number(meta.getAttribute('data-idle-seconds'));
  var csrf = meta.getAttribute('data-csrf');
  var backdrop = document.getElementById('idle-warning');
  var stay = document.getElementById('idle-stay');
  var countdown = document.getElementById('idle-countdown');
  var signOutCsrf = document.getElementById('idle-signout-csrf');
  if (signOutCsrf) signOutCsrf.value = csrf;
  var timer = null;
  var ticker = null;
  var deadline = 0;
  var returnFocus = null;

  function describe(seconds) {
    if (seconds >= 90) return Math.round(seconds / 60) + ' minutes';
    if (seconds >= 60) return '1 minute';
    return seconds + (seconds === 1 ? ' second' : ' seconds');
  }

  function schedule(remainingSeconds) {
    clearTimeout(timer);
    deadline = Date.now() + remainingSeconds * 1000;
    timer = setTimeout(check, Math.max(0, (remainingSeconds - warningSeconds) * 1000));
  }

  function check() {
    fetch('/session/status', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { if (!r.ok) throw new Error('status ' + r.status); return r.json(); })
      .then(function (s) {
        if (s.remainingSeconds <= 0) return leave();
        if (s.remainingSeconds > warningSeconds + 5) { hide(); return schedule(s.remainingSeconds); } // active in another tab
        show(s.remainingSeconds);
      })
      .catch(function () { retryLater(); });
  }

  // The server did not answer: ask again in 15 s, or at the deadline we believe in, whichever is first.
  function retryLater() {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(1000, Math.min(15000, deadline - Date.now())));
  }

  function show(remainingSeconds) {
    deadline = Date.now() + remainingSeconds * 1000;
    if (backdrop.hidden) {
      returnFocus = document.activeElement;
      backdrop.hidden = false;
      setPageInert(true);
      stay.focus();
    }
    tick();
    clearInterval(ticker);
    ticker = setInterval(tick, 1000);
    clearTimeout(timer);
    timer = setTimeout(check, remainingSeconds * 1000 + 500);
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = describe(left);
  }

  function hide() {
    clearInterval(ticker);
    if (!backdrop.hidden) {
      backdrop.hidden = true;
      setPageInert(false);
      if (returnFocus && returnFocus.focus) returnFocus.focus();
    }
  }

  function leave() {
    hide();
    window.location.assign('/session/idle');
  }

  stay.addEventListener('click', function () {
    fetch('/session/keepalive', { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrf } })
      .then(function (r) { if (!r.ok) throw new Error('ended'); return r.json(); })
      .then(function (s) { hide(); schedule(s.remainingSeconds); })
      .catch(leave);
  });
  // While the dialog is open the page behind it cannot be reached, by mouse, keyboard or screen reader.
  function setPageInert(on) {
    ['header', 'main', 'footer'].forEach(function (tag) {
      var el = document.querySelector(tag);
      if (el) el.inert = on;
    });
  }

  // Escape means "I am here", as the only safe default for a modal about staying.
  document.addEventListener('keydown', function (e) {
    if (backdrop.hidden) return;
    if (e.key === 'Escape') stay.click();
    if (e.key === 'Tab') { // keep focus inside the dialog
      var focusable = backdrop.querySelectorAll('button');
      var first = focusable[0], last = focusable[focusable.length - 1];
      if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
    }
  });

  schedule(idleSeconds);
})();
