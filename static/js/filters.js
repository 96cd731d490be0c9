/* Filters that apply as you tick, and a filter panel on phones: progressive enhancement.
 *
 * Without this script the filter form is a plain GET form with its submit button. With it,
 * each change loads the same page for the new filters and puts its form, results and title in
 * place (focus and open groups kept), the URL follows, and on a narrow screen the form opens
 * from a "Filters" button and closes with "Show N results".
 */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var results = document.getElementById("results");
  if (!form || !results || !window.fetch || !window.DOMParser || !window.URLSearchParams) {
    return;
  }
  document.documentElement.classList.add("enhanced");

  var announcer = document.createElement("div");
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  document.body.appendChild(announcer);

  var request = null;
  var latest = 0;

  function urlFor(submitter) {
    // The form's values without empty ones: the clean URL the server would redirect to.
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") { params.append(key, value); }
    });
    if (submitter && submitter.name) { params.append(submitter.name, submitter.value); }
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function openStates() {
    var states = {};
    document.querySelectorAll("#filters details[id]").forEach(function (details) {
      states[details.id] = details.open;
    });
    return states;
  }

  function swap(html) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var nextForm = next.getElementById("filters");
    var nextResults = next.getElementById("results");
    if (!nextForm || !nextResults) { return false; }
    var focused = document.activeElement && document.activeElement.id;
    var states = openStates();
    form.innerHTML = nextForm.innerHTML;
    results.innerHTML = nextResults.innerHTML;
    Object.keys(states).forEach(function (id) {
      var details = document.getElementById(id);
      if (details) { details.open = states[id]; }
    });
    document.title = next.title;
    var heading = document.querySelector("h1");
    var nextHeading = next.querySelector("h1");
    if (heading && nextHeading) { heading.textContent = nextHeading.textContent; }
    // The language switcher links to this page: to its new filters too.
    var languages = document.querySelector("nav.languages");
    var nextLanguages = next.querySelector("nav.languages");
    if (languages && nextLanguages) { languages.innerHTML = nextLanguages.innerHTML; }
    var again = focused && document.getElementById(focused);
    if (again) { again.focus(); }
    var count = document.getElementById("result-count");
    announcer.textContent = count ? count.textContent.trim() : "";
    syncToggle();
    return true;
  }

  function load(url, remember) {
    if (request) { request.abort(); }
    request = new AbortController();
    var number = ++latest;
    form.setAttribute("aria-busy", "true");
    fetch(url, { signal: request.signal, headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.text().then(function (html) {
          if (number !== latest) { return; }  // a later change is on its way
          if (!swap(html)) { throw new Error("not a list page"); }
          if (remember) { window.history.pushState({ filters: true }, "", response.url); }
          form.removeAttribute("aria-busy");
        });
      })
      .catch(function (error) {
        if (error.name !== "AbortError") { window.location.assign(url); }
      });
  }

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.form !== form || field.type === "search" || field.type === "text") { return; }
    load(urlFor(), true);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load(urlFor(event.submitter), true);
  });

  window.addEventListener("popstate", function () {
    load(window.location.pathname + window.location.search, false);
  });

  // The phone panel: the form over the results, opened and closed by buttons.
  function syncToggle() {
    var toggle = document.querySelector("[data-filters-open]");
    if (toggle) { toggle.setAttribute("aria-expanded", String(form.classList.contains("open"))); }
  }

  function openPanel() {
    form.classList.add("open");
    syncToggle();
    var heading = document.getElementById("filters-heading");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }

  function closePanel() {
    if (!form.classList.contains("open")) { return; }
    form.classList.remove("open");
    syncToggle();
    var toggle = document.querySelector("[data-filters-open]");
    if (toggle) { toggle.focus(); }
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-filters-open]")) { openPanel(); }
    if (event.target.closest("[data-filters-close]")) { closePanel(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closePanel(); }
  });
}());
