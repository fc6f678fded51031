// The idle warning on every signed-in page of the portal and of the apps (SPEC §3.7); both serve
// this one file at /static/common/session-timeout.js and answer the same three endpoints. The server
// is the authority on how long the session has left: this only asks (/session/status, which does not
// count as activity), warns, extends on "Stay signed in" (/session/keepalive, a deliberate action)
// and, once the time has passed, goes to /session/idle, which ends the session.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="session-timeout"]');
  var backdrop = document.getElementById('idle-warning');
  var stay = document.getElementById('idle-stay');
  var countdown = document.getElementById('idle-countdown');
  if (!meta || !backdrop || !stay || !countdown) return;
  var remainingAtLoad = Number(meta.getAttribute('data-idle-seconds'));
  var warningSeconds = Number(meta.getAttribute('data-warning-seconds'));
  var csrf = meta.getAttribute('data-csrf') || '';
  var retryMs = 15000; // when the server cannot be asked (network, restart)
  // The dialog's "Sign Out now" form, where there is one, carries the same session-bound token.
  var signOutCsrf = document.getElementById('idle-signout-csrf');
  if (signOutCsrf) signOutCsrf.value = csrf;
  var timer = null;
  var ticker = null;
  var deadline = 0;
  var returnFocus = null;
  var keepingAlive = false;

  // The page's language gives the words ("{n} minutos"); English when the page names none.
  function unit(name, fallback) {
    return meta.getAttribute('data-' + name) || fallback;
  }
  function describe(seconds) {
    if (seconds >= 90) return unit('minutes', '{n} minutes').replace('{n}', String(Math.round(seconds / 60)));
    if (seconds >= 60) return unit('minute', '1 minute');
    if (seconds === 1) return unit('second', '1 second');
    return unit('seconds', '{n} seconds').replace('{n}', String(seconds));
  }

  function isOpen() {
    return !backdrop.hidden;
  }

  function schedule(remainingSeconds) {
    clearTimeout(timer);
    deadline = Date.now() + remainingSeconds * 1000;
    timer = setTimeout(check, Math.max(0, remainingSeconds - warningSeconds) * 1000);
  }

  function check() {
    clearTimeout(timer);
    fetch('/session/status', { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Error('status ' + r.status);
        return r.json();
      })
      .then(function (s) {
        var left = Number(s.remainingSeconds);
        if (!(left > 0)) return leave();
        if (left > warningSeconds + 5) { // kept alive in another tab
          hide();
          return schedule(left);
        }
        show(left);
      })
      .catch(retryLater);
  }

  // Never a tight loop: ask again in a while, and go once the last known end has passed.
  function retryLater() {
    clearTimeout(timer);
    var untilEnd = deadline - Date.now();
    if (untilEnd <= 0) return leave();
    timer = setTimeout(check, Math.min(retryMs, untilEnd + 500));
  }

  function show(remainingSeconds) {
    deadline = Date.now() + remainingSeconds * 1000;
    if (!isOpen()) {
      returnFocus = document.activeElement;
      setBackgroundInert(true);
      backdrop.hidden = false;
      stay.focus();
    }
    tick();
    clearInterval(ticker);
    ticker = setInterval(tick, 1000);
    clearTimeout(timer);
    // The server counts whole seconds up; half a second more and the session has surely ended.
    timer = setTimeout(check, remainingSeconds * 1000 + 500);
  }

  function tick() {
    countdown.textContent = describe(Math.max(0, Math.round((deadline - Date.now()) / 1000)));
  }

  function hide() {
    clearInterval(ticker);
    if (!isOpen()) return;
    backdrop.hidden = true;
    setBackgroundInert(false);
    if (returnFocus && returnFocus.focus) returnFocus.focus();
  }

  // While the dialog is open nothing behind it can be focused or clicked (aria-modal alone does not do that).
  function setBackgroundInert(on) {
    Array.prototype.forEach.call(document.body.children, function (el) {
      if (el === backdrop) return;
      if (on) el.setAttribute('inert', '');
      else el.removeAttribute('inert');
    });
  }

  function leave() {
    hide();
    clearTimeout(timer);
    window.location.assign('/session/idle');
  }

  function stayHere() {
    if (keepingAlive) return;
    keepingAlive = true;
    fetch('/session/keepalive', { method: 'POST', credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json', 'x-csrf-token': csrf } })
      .then(function (r) {
        keepingAlive = false;
        if (r.status === 401) return leave(); // the session has already ended
        if (r.status === 403) return window.location.reload(); // a newer session in this browser: this page's token is stale
        if (!r.ok) throw new Error('keepalive ' + r.status);
        return r.json().then(function (s) {
          hide();
          schedule(Number(s.remainingSeconds));
        });
      })
      .catch(function () {
        keepingAlive = false;
        retryLater();
      });
  }

  stay.addEventListener('click', stayHere);

  document.addEventListener('keydown', function (e) {
    if (!isOpen()) return;
    // Escape means "I am here": the only safe default for a dialog about staying.
    if (e.key === 'Escape') {
      e.preventDefault();
      stayHere();
    } else if (e.key === 'Tab') { // focus cycles inside the dialog
      var focusable = backdrop.querySelectorAll('button');
      var first = focusable[0];
      var last = focusable[focusable.length - 1];
      if (!backdrop.contains(document.activeElement)) {
        e.preventDefault();
        first.focus();
      } else if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  });

  // Background tabs run timers late: on coming back, ask at once if the warning may be due.
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible' && Date.now() >= deadline - warningSeconds * 1000) check();
  });

  schedule(remainingAtLoad);
})();
