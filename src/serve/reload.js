// guidegen serve: reloads the page when the site is rebuilt, back at the step the reader was
// reading, and closes the error overlay. Added by `guidegen serve` only, never by `guidegen build`.
(function () {
  "use strict";
  var script = document.currentScript;
  var served = script ? script.getAttribute("data-generation") : null;
  var placeKey = "guidegen-serve-place";
  var source = null;
  // Listening starts once the page has loaded: an event stream opened earlier would keep the
  // page "loading" (no load event, a spinning tab) for as long as it is open.
  var loaded = false;

  // The step being read: the last one whose top is above the upper third of the window.
  function currentStep() {
    var steps = document.querySelectorAll("[data-step]");
    var line = window.innerHeight / 3;
    var found = null;
    for (var i = 0; i < steps.length; i++) {
      if (steps[i].getBoundingClientRect().top > line) break;
      found = steps[i];
    }
    return found;
  }

  function stepNumbered(number) {
    var steps = document.querySelectorAll("[data-step]");
    for (var i = 0; i < steps.length; i++) {
      if (steps[i].getAttribute("data-step") === number) return steps[i];
    }
    return null;
  }

  function savePlace() {
    var place = { path: location.pathname, x: window.scrollX, y: window.scrollY };
    var step = currentStep();
    if (step) {
      place.step = step.getAttribute("data-step");
      place.top = step.getBoundingClientRect().top;
    }
    try {
      sessionStorage.setItem(placeKey, JSON.stringify(place));
    } catch (e) {
      // No session storage (private mode, blocked): reload at the top.
    }
  }

  // Back to the same step at the same height; by scroll offset on a page without steps.
  function restorePlace() {
    var place = null;
    try {
      place = JSON.parse(sessionStorage.getItem(placeKey) || "null");
      sessionStorage.removeItem(placeKey);
    } catch (e) {
      return;
    }
    if (!place || place.path !== location.pathname) return;
    function apply() {
      var step = place.step ? stepNumbered(place.step) : null;
      var y = step ? window.scrollY + step.getBoundingClientRect().top - place.top : place.y;
      window.scrollTo(place.x || 0, y);
    }
    // The reader may scroll before the page has loaded: from then on, the place is theirs.
    var readerMoved = false;
    ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (type) {
      window.addEventListener(type, function () { readerMoved = true; }, { passive: true });
    });
    apply();
    // The browser may still move the page while it loads, and screenshots that load later move
    // the steps: place it again once everything is in.
    function again() {
      if (!readerMoved) apply();
      if ("scrollRestoration" in history) history.scrollRestoration = "auto";
    }
    function afterLoad() {
      window.requestAnimationFrame(again);
    }
    if (document.readyState === "complete") afterLoad();
    else window.addEventListener("load", afterLoad);
  }

  function reload() {
    savePlace();
    // The browser's own restoring would fight ours.
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    location.reload();
  }

  // Browsers open only a few connections to one server: only a visible page listens. One shown
  // again hears the current generation at once and reloads if it missed a rebuild.
  function listen() {
    if (!loaded || source || typeof EventSource === "undefined") return;
    source = new EventSource("/__guidegen/events");
    source.addEventListener("generation", function (event) {
      if (served !== null && event.data !== served) {
        stopListening();
        reload();
      }
    });
  }

  function stopListening() {
    if (source) source.close();
    source = null;
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") stopListening();
    else listen();
  });
  window.addEventListener("pagehide", stopListening);
  window.addEventListener("pageshow", function () {
    if (document.visibilityState !== "hidden") listen();
  });

  function closeOverlay() {
    var overlay = document.querySelector("[data-guidegen-overlay]");
    if (overlay) overlay.parentNode.removeChild(overlay);
  }
  var close = document.querySelector("[data-guidegen-overlay-close]");
  if (close) close.addEventListener("click", closeOverlay);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeOverlay();
  });

  function start() {
    loaded = true;
    if (document.visibilityState !== "hidden") listen();
  }

  restorePlace();
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
