// guidegen: platform variants. Shows a guide for the platforms the reader chose — one per device,
// from the address (?phone=ios&computer=windows) or remembered from an earlier guide of the site —
// and puts the store code for their phone first. Everything it shows and every number it writes
// was computed when the site was built (data-shown-in, data-numbers, data-totals): without this
// script, and in print, the page shows every variant, each labelled.
(function () {
  "use strict";
  var STORAGE = "guidegen.platforms";
  var ID = /^[a-z0-9-]{1,40}$/;
  var article = document.querySelector("article[data-guide]");
  if (!article) return;

  function remembered() {
    try {
      var value = JSON.parse(window.localStorage.getItem(STORAGE) || "{}");
      return value && typeof value === "object" ? value : {};
    } catch (e) {
      return {};
    }
  }
  function remember(choice) {
    try {
      window.localStorage.setItem(STORAGE, JSON.stringify(choice));
    } catch (e) {
      // Storage refused (a private window, a file:// page in some browsers): the choice lasts
      // for this page only.
    }
  }
  function json(element, name) {
    try {
      return JSON.parse(element.getAttribute(name) || "{}");
    } catch (e) {
      return {};
    }
  }

  var choice = remembered();
  var fromAddress = false;
  new URLSearchParams(window.location.search).forEach(function (value, key) {
    if (ID.test(key) && (value === "" || ID.test(value))) {
      fromAddress = true;
      if (value === "") delete choice[key];
      else choice[key] = value;
    }
  });
  if (fromAddress) remember(choice);

  var devices = (article.getAttribute("data-variant-devices") || "").split(" ").filter(Boolean);
  var controls = Array.prototype.slice.call(document.querySelectorAll("select[data-platform-choice]"));
  var stores = json(article, "data-platform-stores");
  var status = document.querySelector("[data-platform-status]");

  function offered(device, platform) {
    return controls.some(function (control) {
      return control.getAttribute("data-platform-choice") === device &&
        Array.prototype.some.call(control.options, function (o) { return o.value === platform; });
    });
  }
  function keyOf(current) {
    return devices.map(function (device) {
      var platform = current[device];
      return platform && offered(device, platform) ? platform : "all";
    }).join(",");
  }

  function show(current) {
    var key = keyOf(current);
    Array.prototype.forEach.call(document.querySelectorAll("[data-shown-in]"), function (element) {
      element.hidden = element.getAttribute("data-shown-in").split(" ").indexOf(key) < 0;
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-banner-in]"), function (element) {
      element.hidden = element.getAttribute("data-banner-in").split(" ").indexOf(key) < 0;
    });
    var total = json(article, "data-totals")[key];
    var stepOf = article.getAttribute("data-step-of") || "";
    Array.prototype.forEach.call(document.querySelectorAll("li.step[data-numbers]"), function (step) {
      var n = json(step, "data-numbers")[key];
      if (n === undefined) return;
      var number = step.querySelector(".step-number");
      var label = step.querySelector(".step-label");
      if (number) number.textContent = n;
      if (label) label.textContent = stepOf.replace("{n}", n).replace("{total}", total);
    });
    Array.prototype.forEach.call(document.querySelectorAll("ol.steps"), function (list) {
      var first = list.querySelector("li.step[data-numbers]:not([hidden])");
      if (first) list.setAttribute("start", json(first, "data-numbers")[key]);
    });
    controls.forEach(function (control) {
      var platform = current[control.getAttribute("data-platform-choice")];
      control.value = platform && offered(control.getAttribute("data-platform-choice"), platform) ? platform : "";
    });
    orderStores(current);
  }

  // The chosen phone's store first, in every list of store codes.
  function orderStores(current) {
    var first = null;
    Object.keys(current).forEach(function (device) {
      if (stores[current[device]]) first = stores[current[device]];
    });
    if (!first) return;
    Array.prototype.forEach.call(document.querySelectorAll("ul.stores"), function (list) {
      var item = list.querySelector('[data-store="' + first + '"]');
      if (item && item !== list.firstElementChild) list.insertBefore(item, list.firstElementChild);
    });
  }

  function announce(current) {
    if (!status) return;
    var names = [];
    devices.forEach(function (device) {
      var control = controls.filter(function (c) { return c.getAttribute("data-platform-choice") === device; })[0];
      if (!control || !current[device]) return;
      var option = Array.prototype.filter.call(control.options, function (o) { return o.value === current[device]; })[0];
      if (option) names.push(option.textContent);
    });
    if (names.length === 0) {
      status.textContent = status.getAttribute("data-showing-all");
      return;
    }
    var last = names.pop();
    var joined = names.length ? (status.getAttribute("data-and") || "{a}, {b}")
      .replace("{a}", names.join(", ")).replace("{b}", last) : last;
    status.textContent = (status.getAttribute("data-showing") || "").replace("{platforms}", joined);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-platform-choices]"), function (box) {
    box.hidden = false;
  });
  controls.forEach(function (control) {
    control.addEventListener("change", function () {
      var device = control.getAttribute("data-platform-choice");
      if (control.value) choice[device] = control.value;
      else delete choice[device];
      remember(choice);
      show(choice);
      announce(choice);
    });
  });
  // Paper shows every variant, labelled, as the page without script does.
  window.addEventListener("beforeprint", function () { show({}); });
  window.addEventListener("afterprint", function () { show(choice); });
  show(choice);
})();
