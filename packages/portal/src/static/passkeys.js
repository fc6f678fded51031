// Passkeys (WebAuthn) on the sign-in page, at the second-factor step and on My Profile (issue #10).
// Progressive enhancement: each form[data-passkey] is hidden in the page and shown here only where
// the browser can do WebAuthn; everything else on the page works without this script. On submit it
// asks the server for the ceremony's options (a JSON POST with the form's CSRF token; the server
// keeps the challenge), runs navigator.credentials.create/get through @simplewebauthn/browser
// (served from the package at /static/vendor/), puts the result and the challenge's id in the
// form's hidden fields and submits the form as an ordinary POST: the server answers with the next
// page, as for any other form. No inline script or style (CSP).
(function () {
  'use strict';
  var lib = window.SimpleWebAuthnBrowser;
  if (!lib || !lib.browserSupportsWebAuthn()) return;

  Array.prototype.forEach.call(document.querySelectorAll('[data-passkey-unsupported]'), function (el) {
    el.hidden = true;
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-passkey-or]'), function (el) {
    el.hidden = false;
  });

  // The words come from the form (data-msg-*, in the page's language); English if a page lacks them.
  function words(form, name, english) {
    return form.getAttribute('data-msg-' + name) || english;
  }

  function messageFor(form, err, registering) {
    if (err && err.fromServer) return err.message;
    var name = err && err.name;
    if (name === 'NotAllowedError' || name === 'AbortError') return words(form, 'cancelled', 'No passkey was used: the request was cancelled or timed out. Try again.');
    if (registering && name === 'InvalidStateError') return words(form, 'already', 'This device already has a passkey for your account.');
    return words(form, 'failed', registering ? 'Your browser or device could not create a passkey. Try again, or use another device.' : 'Your browser or device could not use a passkey. Try again, or sign in another way.');
  }

  function askOptions(form, url, body) {
    var refused = words(form, 'refused', 'The passkey request was refused. Reload the page and try again.');
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    }).then(function (r) {
      return r.json().then(
        function (answer) {
          if (!r.ok) throw { fromServer: true, message: answer.message || refused };
          return answer;
        },
        function () {
          throw { fromServer: true, message: refused };
        },
      );
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('form[data-passkey]'), function (form) {
    var registering = form.getAttribute('data-passkey') === 'register';
    var error = form.querySelector('[data-passkey-error]');
    var button = form.querySelector('button[type="submit"]');
    var busy = false;
    function field(name) {
      return form.elements.namedItem(name);
    }
    function say(text) {
      if (!error) return;
      error.textContent = text;
      error.hidden = !text;
    }
    form.hidden = false;

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (busy || (registering && !form.reportValidity())) return;
      busy = true;
      if (button) button.disabled = true;
      say('');
      var body = {};
      ['csrf', 'flow'].forEach(function (name) {
        if (field(name)) body[name] = field(name).value;
      });
      askOptions(form, form.getAttribute('data-options-url'), body)
        .then(function (answer) {
          var ceremony = registering ? lib.startRegistration({ optionsJSON: answer.options }) : lib.startAuthentication({ optionsJSON: answer.options });
          return ceremony.then(function (result) {
            field('challenge').value = answer.challenge;
            field('webauthn').value = JSON.stringify(result);
            form.submit(); // does not fire 'submit' again
          });
        })
        .catch(function (err) {
          busy = false;
          if (button) button.disabled = false;
          say(messageFor(form, err, registering));
        });
    });
  });
})();
