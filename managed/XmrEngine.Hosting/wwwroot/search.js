// Product search view: sends the text as typed to /v1/products/{model}/search (the model prepares it) and shows the
// products with their scores, or the server's problem details.
(function () {
  "use strict";
  const page = window.xmrPage;
  const form = document.getElementById("search-form");
  const models = document.getElementById("search-model");
  const q = document.getElementById("search-q");
  const topK = document.getElementById("search-topk");
  const table = document.getElementById("search-results");
  const error = document.getElementById("search-error");
  const status = document.getElementById("search-status");
  let sequence = 0;

  async function search() {
    const model = models.value;
    if (!model) return;
    const mine = ++sequence;
    const query = new URLSearchParams({ q: q.value });
    if (topK.value !== "") query.set("topK", topK.value);
    const started = performance.now();
    status.textContent = "Searching…";
    try {
      const response = await fetch("/v1/products/" + encodeURIComponent(model) + "/search?" + query);
      const body = await page.readBody(response);
      if (mine !== sequence) return; // a newer search's answer wins
      if (!response.ok) {
        render([]);
        page.showError(error, page.problemText(response, body));
        status.textContent = "";
      } else {
        page.showError(error, "");
        render(body.results);
        status.textContent = body.results.length + " results · round trip " + (performance.now() - started).toFixed(1) +
          " ms · version " + body.version;
      }
      // Says which text the shown answer (results or error) is for, so a reader knows it is not an older one.
      table.dataset.answers = query.get("q");
      table.dataset.answer = String(mine);
    } catch (e) {
      if (mine === sequence) { page.showError(error, "Request failed: " + e); status.textContent = ""; }
    }
  }

  function render(results) {
    const rows = table.tBodies[0];
    rows.replaceChildren();
    results.forEach((r, i) => {
      const tr = document.createElement("tr");
      tr.dataset.id = String(r.id);
      tr.dataset.score = String(r.score);
      for (const [text, cls] of [[String(i + 1), "rank"], [String(r.id), "id"], [r.text, "text"], [r.score.toFixed(4), "num score"]]) {
        const td = document.createElement("td");
        td.className = cls;
        td.textContent = text;
        tr.appendChild(td);
      }
      rows.appendChild(tr);
    });
    table.hidden = results.length === 0;
  }

  form.addEventListener("submit", e => { e.preventDefault(); search(); });
  if (page.link.has("q")) q.value = page.link.get("q");
  page.fillModels(models, "products", "No product-retrieval model is served.", status, page.link.get("model")).then(any => {
    if (any && page.link.has("q") && document.body.dataset.view === "search") search();
  });
})();
