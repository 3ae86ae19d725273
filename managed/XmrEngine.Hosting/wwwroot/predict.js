// Predict view: rows typed as "id:value id:value ..." (one row per line) go to /v1/xlinear/{model}/predict as they are
// written. The page checks only its own notation; the ids and values themselves (range, repeats, finiteness) are the
// model's to check, and its problem details are shown as the server gives them.
(function () {
  "use strict";
  const page = window.xmrPage;
  const form = document.getElementById("predict-form");
  const models = document.getElementById("predict-model");
  const rowsInput = document.getElementById("predict-rows");
  const topK = document.getElementById("predict-topk");
  const table = document.getElementById("predict-results");
  const error = document.getElementById("predict-error");
  const status = document.getElementById("predict-status");
  // An id and a value in JSON's number notation, so each is copied into the body exactly as typed.
  const ENTRY = /^(-?\d+):(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;
  let sequence = 0;

  /** The request body as JSON text, or an error naming the line and entry that are not "id:value". */
  function body(text) {
    const rows = [];
    const lines = text.split("\n");
    for (let n = 0; n < lines.length; n++) {
      const entries = lines[n].trim().split(/\s+/).filter(t => t !== "");
      if (entries.length === 0) continue;
      const ids = [], values = [];
      for (const entry of entries) {
        const m = ENTRY.exec(entry);
        if (!m) return { error: "line " + (n + 1) + ": '" + entry + "' is not id:value (for example 17:0.5)." };
        ids.push(m[1]);
        values.push(m[2]);
      }
      rows.push('{"indices":[' + ids.join(",") + '],"values":[' + values.join(",") + "]}");
    }
    if (rows.length === 0) return { error: "Type at least one row, for example 3:0.5 17:1.2." };
    let json = '{"rows":[' + rows.join(",") + "]";
    if (topK.value !== "") json += ',"topK":' + JSON.stringify(Number(topK.value));
    return { json: json + "}" };
  }

  async function predict() {
    const model = models.value;
    if (!model) return;
    const mine = ++sequence;
    const answers = rowsInput.value;
    const request = body(answers);
    if (request.error) {
      render([]);
      page.showError(error, request.error);
      status.textContent = "";
      table.dataset.answers = answers;
      table.dataset.answer = String(mine);
      return;
    }
    const started = performance.now();
    status.textContent = "Predicting…";
    try {
      const response = await fetch("/v1/xlinear/" + encodeURIComponent(model) + "/predict",
        { method: "POST", headers: { "Content-Type": "application/json" }, body: request.json });
      const answer = await page.readBody(response);
      if (mine !== sequence) return;
      if (!response.ok) {
        render([]);
        page.showError(error, page.problemText(response, answer));
        status.textContent = "";
      } else {
        page.showError(error, "");
        render(answer.results);
        status.textContent = answer.results.length + (answer.results.length === 1 ? " row" : " rows") + " · round trip " +
          (performance.now() - started).toFixed(1) + " ms · version " + answer.version;
      }
      table.dataset.answers = answers;
      table.dataset.answer = String(mine);
    } catch (e) {
      if (mine === sequence) { page.showError(error, "Request failed: " + e); status.textContent = ""; }
    }
  }

  function render(results) {
    const rows = table.tBodies[0];
    rows.replaceChildren();
    results.forEach((labels, r) => {
      labels.forEach((l, i) => {
        const tr = document.createElement("tr");
        tr.dataset.row = String(r);
        tr.dataset.label = String(l.label);
        tr.dataset.score = String(l.score);
        if (i === 0 && r > 0) tr.className = "first";
        for (const [text, cls] of [[i === 0 ? String(r + 1) : "", "rowno"], [String(i + 1), "rank"], [String(l.label), "label"], [l.score.toFixed(4), "num score"]]) {
          const td = document.createElement("td");
          td.className = cls;
          td.textContent = text;
          tr.appendChild(td);
        }
        rows.appendChild(tr);
      });
    });
    table.hidden = rows.children.length === 0;
  }

  form.addEventListener("submit", e => { e.preventDefault(); predict(); });
  // Ctrl+Enter in the rows box predicts, as Enter does in a one-line box.
  rowsInput.addEventListener("keydown", e => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); predict(); } });
  page.fillModels(models, "xlinear", "No XR-Linear model is served.", status, page.link.get("model"));
})();
