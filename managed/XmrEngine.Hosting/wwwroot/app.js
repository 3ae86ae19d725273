// Auto-complete view: asks /v1/qac/{model}/suggest as the user types (debounced), shows each suggestion's source and
// the server's latency, and supports the arrow keys, Enter and Escape. A chosen query is searched and becomes the
// session's previous query, as it would be for the user's next search.
(function () {
  "use strict";
  const page = window.xmrPage;
  const DEBOUNCE_MS = 120;
  const models = document.getElementById("model");
  const prev = document.getElementById("prev");
  const prefix = document.getElementById("prefix");
  const list = document.getElementById("suggestions");
  const status = document.getElementById("status");
  const chosen = document.getElementById("chosen");
  let timer = 0, sequence = 0, active = -1, shown = [];

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(suggest, DEBOUNCE_MS);
  }

  async function suggest() {
    const model = models.value;
    if (!model) return;
    const mine = ++sequence;
    const query = new URLSearchParams({ prefix: prefix.value, count: "10" });
    if (prev.value.trim() !== "") query.set("prev", prev.value);
    const started = performance.now();
    try {
      const response = await fetch("/v1/qac/" + encodeURIComponent(model) + "/suggest?" + query);
      const body = await page.readBody(response);
      if (mine !== sequence) return; // a newer keystroke's (or a choice's) answer wins
      if (!response.ok) {
        render([]);
        status.textContent = page.problemText(response, body);
        status.classList.add("error");
        return;
      }
      status.classList.remove("error");
      render(body.suggestions);
      list.dataset.answers = query.get("prefix");
      list.dataset.answer = String(mine);
      const roundTrip = performance.now() - started;
      status.textContent = body.suggestions.length + " suggestions · server " + body.elapsedMs.toFixed(3) +
        " ms · round trip " + roundTrip.toFixed(1) + " ms · version " + body.version;
      status.dataset.serverMs = String(body.elapsedMs);
    } catch (e) {
      if (mine === sequence) status.textContent = "Request failed: " + e;
    }
  }

  function render(suggestions) {
    // An answer that arrives after the user has moved into the list keeps the highlighted suggestion
    // when it is still offered, so a late reply for the same prefix does not undo an arrow key.
    const kept = active >= 0 && shown[active] ? suggestions.findIndex(s => s.text === shown[active].text) : -1;
    shown = suggestions;
    active = -1;
    list.replaceChildren();
    suggestions.forEach((s, i) => {
      const item = document.createElement("li");
      item.id = "suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.score = String(s.score);
      const text = document.createElement("span");
      text.className = "text";
      text.textContent = s.text;
      const source = document.createElement("span");
      source.className = "source";
      source.textContent = s.source;
      item.append(text, source);
      item.addEventListener("mousedown", e => { e.preventDefault(); choose(i); });
      list.appendChild(item);
    });
    list.hidden = suggestions.length === 0;
    prefix.setAttribute("aria-expanded", String(suggestions.length > 0));
    highlight(kept);
  }

  function highlight(i) {
    const items = list.children;
    if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
    active = i;
    if (active >= 0 && items[active]) {
      items[active].setAttribute("aria-selected", "true");
      prefix.setAttribute("aria-activedescendant", items[active].id);
    } else {
      prefix.removeAttribute("aria-activedescendant");
    }
  }

  function choose(i) {
    if (i < 0 || i >= shown.length) return;
    search(shown[i].text);
  }

  /** Searches a query: it stays in the box, becomes the previous query of what is typed next, and nothing older shows. */
  function search(query) {
    clearTimeout(timer);
    sequence++; // an answer still on its way was for the old inputs
    prefix.value = query;
    prev.value = query;
    chosen.textContent = "Searched: " + query;
    status.textContent = "";
    status.classList.remove("error");
    render([]);
    prefix.select(); // typing starts the next query
  }

  prefix.addEventListener("input", schedule);
  prev.addEventListener("input", schedule);
  models.addEventListener("change", schedule);
  prefix.addEventListener("keydown", e => {
    if (e.key === "ArrowDown" && shown.length) { e.preventDefault(); highlight((active + 1) % shown.length); }
    else if (e.key === "ArrowUp" && shown.length) { e.preventDefault(); highlight(active <= 0 ? shown.length - 1 : active - 1); }
    else if (e.key === "Enter") { e.preventDefault(); if (active >= 0) choose(active); else search(prefix.value); }
    else if (e.key === "Escape") { render([]); }
  });
  // A link can carry the inputs (?model=&prev=&prefix=): the page fills them in and asks at once.
  const link = page.link;
  if (link.has("prev")) prev.value = link.get("prev");
  if (link.has("prefix")) prefix.value = link.get("prefix");
  page.fillModels(models, "qac", "No auto-complete model is served.", status, link.get("model")).then(any => {
    if (any && link.has("prefix")) suggest();
  });
})();
