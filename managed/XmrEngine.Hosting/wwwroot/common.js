// XmrEngine page, shared parts: the tabs, the one /v1/models request every view's model list comes from, and the
// display of the server's problem-details errors. Each view's script registers itself on window.xmrPage.
(function () {
  "use strict";
  const views = ["search", "predict", "autocomplete"];

  // One request for the whole page: each view keeps only the models of its own kind.
  const models = fetch("/v1/models").then(async response => {
    const body = await readBody(response);
    if (!response.ok) throw new Error(problemText(response, body));
    return body.models;
  });

  /** The body of an answer as JSON, or null when it is not JSON (a proxy's HTML error page, an empty body). */
  async function readBody(response) {
    const text = await response.text();
    try { return text ? JSON.parse(text) : null; } catch { return null; }
  }

  /** One line for an error answer: status, title and the server's detail (which names the field it is about). */
  function problemText(response, body) {
    const head = response.status + " " + (body && body.title ? body.title : response.statusText || "Error");
    if (body && body.detail) return head + ": " + body.detail;
    return head;
  }

  /** Shows an error in a view's alert line (or hides it when text is empty). */
  function showError(element, text) {
    element.textContent = text || "";
    element.hidden = !text;
  }

  /** Fills a view's model list with the served models of one kind; says so in the status line when there is none. */
  async function fillModels(select, kind, noneText, status, preferred) {
    try {
      const mine = (await models).filter(m => m.kind === kind);
      for (const m of mine) {
        const option = document.createElement("option");
        option.value = m.name;
        option.textContent = m.loaded ? m.name : m.name + " (not loaded)";
        select.appendChild(option);
      }
      if (preferred && mine.some(m => m.name === preferred)) select.value = preferred;
      status.textContent = mine.length ? "" : noneText;
      return mine.length > 0;
    } catch (e) {
      status.textContent = "Cannot list the models: " + (e && e.message ? e.message : e);
      return false;
    }
  }

  /** Makes a view visible and its tab selected; the address's fragment names the view, so a link or reload keeps it. */
  function show(view) {
    if (!views.includes(view)) view = "autocomplete";
    for (const v of views) {
      document.getElementById("view-" + v).hidden = v !== view;
      document.getElementById("tab-" + v).setAttribute("aria-selected", String(v === view));
    }
    document.body.dataset.view = view;
  }

  for (const v of views) {
    document.getElementById("tab-" + v).addEventListener("click", () => {
      history.replaceState(null, "", location.pathname + location.search + "#" + v);
      show(v);
    });
  }
  window.addEventListener("hashchange", () => show(location.hash.slice(1)));
  show(location.hash.slice(1));

  window.xmrPage = { readBody, problemText, showError, fillModels, link: new URLSearchParams(location.search) };
})();
