// policyeval serve: the briefing page. Vanilla JS; charts from charts.js; nothing from the network.
"use strict";

const DEBOUNCE_MS = 150;
const STEP = 0.01; // arrow keys: 1 percentage point; Page Up/Down: 5
const SHOWN_RANKS = 3; // acceptability chart: ranks 1-3, then "lower" (as in the memo)
const LOWER = "#dddddd"; // the memo's colour for "rank 4 or lower"
const $ = (id) => document.getElementById(id);

const page = {
  state: null, // GET /api/state
  weights: {}, // criterion -> global weight, sums to 1
  profile: null, // selected profile id
  edited: false,
  leaves: {}, // group id -> criterion ids under it (all levels)
  seq: 0, // latest ranking request
  timer: null,
  robust: { busy: false, wanted: null },
  titles: {},
  top: {}, // criterion id -> its top-level group id ("" when it has none)
  lastRobust: null, // the last robustness shown, kept while the next one is computed
};

// ---------- server calls ----------

// The per-run token the server embeds in the page; every POST must carry it.
const TOKEN = document.querySelector('meta[name="policyeval-token"]')?.content || "";

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Policyeval-Token": TOKEN },
    body: JSON.stringify(body),
  };
  const res = await fetch(path, init);
  const data = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) {
    const err = new Error(data.error || `HTTP ${res.status}`);
    err.issues = data.issues || [];
    throw err;
  }
  return data;
}

function showError(err) {
  const box = $("error");
  if (!err) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  const lines = err.issues && err.issues.length ? err.issues.map((i) => i.text) : [err.message];
  box.textContent = lines.join("\n");
  box.hidden = false;
}

// ---------- weights ----------

const pct = (w) => `${(100 * w).toFixed(1)}%`;
const sum = (ids) => ids.reduce((s, id) => s + page.weights[id], 0);

// Set the total weight of criteria `ids` to `total`: scale them in proportion and
// the other criteria in proportion to what is left, so the weights still sum to 1.
function setBlock(ids, total) {
  const all = page.state.criteria.map((c) => c.id);
  const rest = all.filter((id) => !ids.includes(id));
  if (rest.length === 0) return;
  total = Math.min(1, Math.max(0, total));
  const inside = sum(ids);
  const outside = sum(rest);
  for (const id of ids) {
    page.weights[id] = inside > 1e-12 ? (page.weights[id] * total) / inside : total / ids.length;
  }
  for (const id of rest) {
    page.weights[id] = outside > 1e-12
      ? (page.weights[id] * (1 - total)) / outside
      : (1 - total) / rest.length;
  }
}

function groupLeaves(state) {
  const under = {};
  for (const g of state.groups) under[g.id] = [];
  for (const c of state.criteria) {
    let g = c.group;
    while (g) {
      under[g].push(c.id);
      g = state.groups.find((x) => x.id === g).parent;
    }
  }
  return under;
}

function sliderRow(kind, id, name, ids, depth) {
  const row = document.createElement("div");
  row.className = `slider ${kind}`;
  row.style.setProperty("--depth", depth);
  const input = document.createElement("input");
  input.type = "range";
  input.min = "0";
  input.max = "1";
  input.step = "any";
  input.id = `${kind === "group" ? "g" : "w"}-${id}`;
  input.dataset.ids = ids.join(",");
  input.disabled = ids.length === page.state.criteria.length;
  const label = document.createElement("label");
  label.htmlFor = input.id;
  label.textContent = kind === "group" ? `${name} (group)` : name;
  const out = document.createElement("output");
  out.htmlFor = input.id;
  out.id = `${input.id}-value`;
  row.append(label, out, input);
  if (kind === "criterion") {
    const band = document.createElement("div");
    band.className = "band";
    band.id = `band-${id}`;
    band.setAttribute("aria-hidden", "true");
    band.append(document.createElement("span"));
    const text = document.createElement("p");
    text.className = "band-text";
    text.id = `band-${id}-text`;
    input.setAttribute("aria-describedby", text.id);
    row.append(band, text);
  }
  const move = (value, active) => {
    setBlock(ids, value);
    markEdited(true);
    refreshSliders(active);
    scheduleRank();
  };
  input.addEventListener("input", () => move(Number(input.value), input));
  input.addEventListener("keydown", (e) => {
    const by = { ArrowUp: STEP, ArrowRight: STEP, ArrowDown: -STEP, ArrowLeft: -STEP,
      PageUp: 5 * STEP, PageDown: -5 * STEP }[e.key];
    if (by === undefined || input.disabled) return;
    e.preventDefault();
    move(Math.min(1, Math.max(0, sum(ids) + by)), null);
  });
  return row;
}

function buildSliders() {
  const { state } = page;
  const box = $("sliders");
  box.replaceChildren();
  const walk = (parent, depth) => {
    for (const g of state.groups.filter((x) => (x.parent || null) === parent)) {
      if (!page.leaves[g.id].length) continue;
      const fieldset = document.createElement("fieldset");
      fieldset.className = "group";
      fieldset.append(sliderRow("group", g.id, g.name, page.leaves[g.id], depth));
      box.append(fieldset);
      walk(g.id, depth + 1);
      for (const c of state.criteria.filter((x) => x.group === g.id)) {
        fieldset.append(sliderRow("criterion", c.id, c.name, [c.id], depth + 1));
      }
    }
  };
  walk(null, 0);
  const loose = state.criteria.filter((c) => !c.group);
  if (loose.length) {
    const fieldset = document.createElement("fieldset");
    fieldset.className = "group";
    if (state.groups.length) {
      const legend = document.createElement("legend");
      legend.textContent = "Other criteria";
      fieldset.append(legend);
    }
    for (const c of loose) fieldset.append(sliderRow("criterion", c.id, c.name, [c.id], 0));
    box.append(fieldset);
  }
}

function refreshSliders(active) {
  for (const input of document.querySelectorAll("#sliders input[type=range]")) {
    const w = sum(input.dataset.ids.split(","));
    if (input !== active) input.value = String(w);
    input.setAttribute("aria-valuetext", pct(w));
    $(`${input.id}-value`).textContent = pct(w);
  }
  drawWeights();
}

// ---------- charts ----------

// Colour of each top-level group (the memo's Okabe-Ito palette, in the value tree's order).
function groupSeries() {
  const { state } = page;
  const tops = state.groups.filter((g) => !g.parent);
  const series = tops.map((g, i) => ({ key: g.id, label: g.name, color: state.palette[i % state.palette.length] }));
  if (state.criteria.some((c) => !page.top[c.id])) {
    series.push({ key: "", label: "Other criteria", color: state.palette[tops.length % state.palette.length] });
  }
  return series;
}

function topGroups(state) {
  const parent = Object.fromEntries(state.groups.map((g) => [g.id, g.parent]));
  const top = {};
  for (const c of state.criteria) {
    let g = c.group || "";
    while (g && parent[g]) g = parent[g];
    top[c.id] = g;
  }
  return top;
}

function drawWeights() {
  const rows = page.state.criteria.map((c) => ({
    id: c.id, label: c.name, parts: [{ series: page.top[c.id], value: page.weights[c.id] }],
  }));
  Charts.bars($("chart-weights"), {
    caption: "Weight of each criterion (coloured by group)",
    series: groupSeries(),
    rows,
    max: Math.max(...rows.map((r) => r.parts[0].value)),
    format: pct,
  });
}

function drawScores(result) {
  const parts = result.contributions;
  const order = [...result.methods.wsm].sort((a, b) => a.rank - b.rank);
  const rows = order.map((r) => ({
    id: r.option,
    label: page.titles[r.option] || r.option,
    parts: page.state.criteria.map((c) => ({
      series: page.top[c.id], value: parts[r.option][c.id], label: c.name,
    })),
  }));
  const what = result.packages ? "package" : "option";
  Charts.bars($("chart-scores"), {
    caption: `Weighted-sum score of each ${what}, split by criterion (weight × value, `
      + "coloured by group); the longer the bar, the better",
    series: groupSeries(),
    rows,
    max: Math.max(...order.map((r) => r.score)),
    format: (x) => x.toFixed(3),
  });
}

function drawAcceptability(rob) {
  const acc = rob.acceptability;
  const ids = Object.keys(acc).sort((a, b) => acc[b][0] - acc[a][0]);
  const k = acc[ids[0]].length;
  const shown = Math.min(SHOWN_RANKS, k);
  const series = [];
  for (let r = 0; r < shown; r++) series.push({ key: `r${r}`, label: `Rank ${r + 1}`, color: page.state.palette[r] });
  if (k > shown) series.push({ key: "lower", label: `Rank ${shown + 1} or lower`, color: LOWER });
  const rows = ids.map((id) => {
    const parts = acc[id].slice(0, shown).map((v, r) => ({ series: `r${r}`, value: v, label: `rank ${r + 1}` }));
    if (k > shown) {
      const rest = Math.max(0, 1 - acc[id].slice(0, shown).reduce((s, v) => s + v, 0));
      parts.push({ series: "lower", value: rest, label: "lower" });
    }
    return { id, label: page.titles[id] || id, parts, shown: acc[id][0] };
  });
  Charts.bars($("chart-acceptability"), {
    caption: "Share of the draws in which each option takes rank 1, 2, 3 or lower "
      + "(the figure: ranked first)",
    series,
    rows,
    max: 1,
    format: (x) => `${(100 * x).toFixed(0)}%`,
  });
}

function markEdited(edited) {
  page.edited = edited;
  $("edited").hidden = !edited;
}

function label() {
  return page.edited ? "current" : page.profile;
}

// ---------- profiles ----------

function fillProfiles() {
  const select = $("profile");
  select.replaceChildren();
  for (const p of page.state.profiles) {
    const opt = document.createElement("option");
    opt.value = p.id;
    opt.textContent = p.weights ? `${p.name} (${p.method})` : `${p.name} — cannot compute`;
    opt.disabled = !p.weights;
    select.append(opt);
  }
}

function useProfile(pid) {
  const prof = page.state.profiles.find((p) => p.id === pid && p.weights)
    || page.state.profiles.find((p) => p.weights);
  if (!prof) {
    showError(new Error("no profile gives weights; fix criteria/weights/ and reload"));
    return;
  }
  page.profile = prof.id;
  $("profile").value = prof.id;
  page.weights = { ...prof.weights };
  markEdited(false);
  refreshSliders(null);
  scheduleRank(0);
}

async function loadState(selected) {
  const state = await api("/api/state");
  page.state = state;
  page.leaves = groupLeaves(state);
  page.top = topGroups(state);
  page.titles = {};
  for (const o of state.options) page.titles[o.id] = o.title;
  for (const p of state.packages) page.titles[p.id] = p.title;
  $("title").textContent = state.title;
  document.title = `${state.title} · policyeval briefing`;
  $("packages-box").hidden = state.packages.length === 0;
  fillProfiles();
  buildSliders();
  useProfile(selected || state.default_profile);
}

// ---------- ranking ----------

function scheduleRank(delay = DEBOUNCE_MS) {
  clearTimeout(page.timer);
  page.timer = setTimeout(rerank, delay);
}

function request(robustness) {
  return {
    weights: page.weights,
    packages: $("packages").checked,
    profile: label(),
    robustness,
    spread: $("sampler").value ? Number($("sampler").value) : null,
  };
}

async function rerank() {
  const my = ++page.seq;
  const body = request(false);
  try {
    const result = await api("/api/rank", body);
    if (my !== page.seq) return;
    showError(null);
    renderRanking(result);
    page.robust.wanted = { my, body: { ...body, robustness: true } };
    $("robust-status").textContent = "Updating acceptability and what would change the answer…";
    document.body.classList.add("pending");
    if (!page.robust.busy) pumpRobustness();
  } catch (err) {
    if (my === page.seq) showError(err);
  }
}

// One robustness request at a time; when it returns, run only the latest one asked for.
async function pumpRobustness() {
  page.robust.busy = true;
  while (page.robust.wanted) {
    const { my, body } = page.robust.wanted;
    page.robust.wanted = null;
    try {
      const result = await api("/api/rank", body);
      if (my === page.seq) {
        renderRobustness(result.robustness);
        renderBottomLine(result.bottom_line);
        document.body.classList.remove("pending");
      }
    } catch (err) {
      if (my === page.seq) showError(err);
    }
  }
  page.robust.busy = false;
}

function cell(tag, text, cls) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (cls) el.className = cls;
  return el;
}

function renderRanking(result) {
  const methods = Object.keys(result.methods).sort((a, b) => (a === "wsm" ? -1 : b === "wsm" ? 1 : 0));
  const ranks = {};
  for (const m of methods) {
    ranks[m] = {};
    for (const r of result.methods[m]) ranks[m][r.option] = r;
  }
  const consensus = {};
  for (const r of result.consensus) consensus[r.option] = r.rank;
  const rows = [...result.methods.wsm].sort((a, b) => a.rank - b.rank || consensus[a.option] - consensus[b.option]);

  const head = document.createElement("tr");
  head.append(cell("th", "wsm rank"), cell("th", "Option"), cell("th", "wsm score", "num"));
  for (const m of methods.filter((x) => x !== "wsm")) head.append(cell("th", m, "num"));
  head.append(cell("th", "consensus", "num"), cell("th", "ranked first (SMAA)"));
  for (const th of head.children) th.scope = "col";
  $("ranking").tHead.replaceChildren(head);

  const body = $("ranking").tBodies[0];
  body.replaceChildren();
  for (const r of rows) {
    const tr = document.createElement("tr");
    tr.dataset.option = r.option;
    if (r.baseline) tr.className = "baseline";
    const name = cell("td", page.titles[r.option] || r.option, "option");
    if (r.baseline) name.append(cell("small", " (baseline)"));
    tr.append(cell("td", String(r.rank), "num"), name, cell("td", r.score.toFixed(3), "num"));
    for (const m of methods.filter((x) => x !== "wsm")) tr.append(cell("td", String(ranks[m][r.option].rank), "num"));
    tr.append(cell("td", String(consensus[r.option]), "num"));
    const acc = cell("td", "", "acc");
    acc.innerHTML = '<div class="acc-wrap"><div class="bar"><span></span></div><span class="acc-value">…</span></div>';
    tr.append(acc);
    body.append(tr);
  }
  if (page.lastRobust) showAcceptability(page.lastRobust);
  drawScores(result);
  const what = result.packages ? "packages" : "options";
  $("ranking-caption").textContent = `Ranks of the ${what} by method (weighted sum first); consensus: ${result.consensus_rule}`;

  const top = rows[0];
  const cons = result.consensus[0];
  $("top").replaceChildren(
    cell("span", "Top option (weighted sum): ", "small"),
    cell("strong", page.titles[top.option] || top.option),
    cell("span", cons.option === top.option
      ? ` — also first in the consensus of ${methods.length} methods.`
      : ` — the consensus of ${methods.length} methods puts ${page.titles[cons.option] || cons.option} first.`),
  );
  const tau = result.agreement.wsm || {};
  $("agreement").textContent = "Agreement with the weighted sum (Kendall's τ): "
    + methods.filter((m) => m !== "wsm").map((m) => `${m} ${Number(tau[m]).toFixed(2)}`).join(", ");
  const list = $("warnings");
  list.replaceChildren();
  const prof = page.state.profiles.find((p) => p.id === page.profile);
  const warnings = [...(page.edited || !prof ? [] : prof.warnings || []), ...result.warnings];
  for (const w of new Set(warnings)) list.append(cell("li", w));
}

// First-rank acceptability as a bar per row of the ranking table.
function showAcceptability(rob) {
  for (const tr of $("ranking").tBodies[0].rows) {
    const row = rob.acceptability[tr.dataset.option];
    if (!row) continue;
    tr.querySelector(".bar span").style.width = `${(100 * row[0]).toFixed(1)}%`;
    tr.querySelector(".acc-value").textContent = `${(100 * row[0]).toFixed(0)}%`;
  }
}

function renderRobustness(rob) {
  if (!rob) {
    $("robust-status").textContent = "Robustness needs at least two options.";
    return;
  }
  $("robust-status").textContent = `SMAA: ${rob.samples.toLocaleString("en")} samples, seed ${rob.seed}, `
    + `${rob.sampler_text}, scores within their ranges; `
    + "stability and what it takes are exact for the weighted sum.";
  page.lastRobust = rob;
  showAcceptability(rob);
  drawAcceptability(rob);
  $("summary").textContent = rob.in_words;
  const top = page.titles[rob.top] || rob.top;
  $("band-help").textContent = `The green band on each slider is the range of that weight over which `
    + `“${top}” stays ranked first by the weighted sum (the other weights moving in proportion).`;
  for (const c of page.state.criteria) {
    const [lo, hi] = rob.stability[c.id];
    const band = $(`band-${c.id}`);
    band.firstChild.style.left = `${100 * lo}%`;
    band.firstChild.style.width = `${100 * (hi - lo)}%`;
    band.dataset.low = String(lo);
    band.dataset.high = String(hi);
    $(`band-${c.id}-text`).textContent = `First-ranked stays first from ${pct(lo)} to ${pct(hi)}`;
  }
  const box = $("whatif");
  box.replaceChildren();
  const table = document.createElement("table");
  table.className = "whatif";
  table.append(cell("caption", "What it would take to put each runner-up on top (weighted sum)"));
  const head = document.createElement("tr");
  for (const h of ["Runner-up", "weights to move (L1)", "or one score change"]) head.append(cell("th", h));
  table.createTHead().append(head);
  const body = table.createTBody();
  for (const w of rob.what_it_takes.slice(0, 5)) {
    const tr = document.createElement("tr");
    tr.append(cell("td", page.titles[w.option] || w.option));
    tr.append(cell("td", w.possible ? `${pct(w.distance)} of the total weight` : "no weights do it"));
    const s = w.score_changes[0];
    const crit = s && (page.state.criteria.find((c) => c.id === s.criterion) || {}).name;
    tr.append(cell("td", s ? `${crit || s.criterion}: ${fmt(s.from)} → ${fmt(s.to)}` : "no single score does it"));
    body.append(tr);
  }
  box.append(table);
}

const fmt = (x) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));

// The memo's bottom line for the page's weights (from the server: same words and figures).
function renderBottomLine(bl) {
  $("headline").textContent = bl ? bl.headline : "Robustness needs at least two options.";
  $("headline-rest").textContent = bl ? bl.headline_rest : "";
  $("bottom-line").dataset.verdict = bl ? bl.verdict : "";
  $("reasons").replaceChildren(...(bl ? bl.reasons : []).map((r) => cell("li", r)));
}

// ---------- presenter mode ----------

function present(on) {
  // the bottom line speaks of packages when the workspace has some (as the memo does):
  // the one chart beside it then shows the packages too, and leaving restores the choice
  const box = $("packages");
  if (on && page.state && page.state.packages.length && !box.checked) {
    page.packagesBefore = false;
    box.checked = true;
    scheduleRank(0);
  } else if (!on && page.packagesBefore === false) {
    page.packagesBefore = undefined;
    box.checked = false;
    scheduleRank(0);
  }
  document.body.classList.toggle("present", on);
  $("present").setAttribute("aria-pressed", String(on));
  $("present").textContent = on ? "Leave presenter mode" : "Presenter mode";
  const url = new URL(window.location.href);
  if (on) url.searchParams.set("present", "1");
  else url.searchParams.delete("present");
  window.history.replaceState(null, "", url);
}

// ---------- saving and the memo ----------

async function saveProfile(event) {
  event.preventDefault();
  const status = $("save-status");
  const id = $("save-id").value.trim();
  status.textContent = "Saving…";
  try {
    const saved = await api("/api/profiles", {
      id,
      name: $("save-name").value.trim() || id,
      weights: page.weights,
      overwrite: $("save-overwrite").checked,
      source: page.profile,
    });
    await loadState(saved.id);
    status.textContent = `Saved ${saved.file} (profile '${saved.id}').`;
  } catch (err) {
    status.textContent = `Not saved: ${err.issues && err.issues.length ? err.issues.map((i) => i.message).join("; ") : err.message}`;
  }
}

async function downloadMemo(format) {
  const status = $("memo-status");
  const params = new URLSearchParams({ format, profile: page.profile });
  if (page.edited) params.set("weights", JSON.stringify(page.weights));
  status.textContent = "Preparing the memo…";
  try {
    const res = await fetch(`/api/memo?${params}`);
    if (!res.ok) {
      const data = await res.json().catch(() => ({}));
      throw new Error(data.error || `HTTP ${res.status}`);
    }
    const disposition = res.headers.get("Content-Disposition") || "";
    const match = /filename="([^"]+)"/.exec(disposition);
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = match ? match[1] : `memo.${format}`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    status.textContent = `Downloaded ${link.download}.`;
  } catch (err) {
    status.textContent = `The memo could not be written: ${err.message}`;
  }
}

// ---------- start ----------

document.addEventListener("DOMContentLoaded", () => {
  $("profile").addEventListener("change", (e) => useProfile(e.target.value));
  $("reset").addEventListener("click", () => useProfile(page.profile));
  $("present").addEventListener("click", () => present(!document.body.classList.contains("present")));
  present(new URLSearchParams(window.location.search).get("present") === "1");
  $("packages").addEventListener("change", () => scheduleRank(0));
  $("sampler").addEventListener("change", () => scheduleRank(0));
  $("save-form").addEventListener("submit", saveProfile);
  for (const id of ["memo-md", "memo-html"]) {
    $(id).addEventListener("click", (e) => downloadMemo(e.target.dataset.format));
  }
  loadState()
    .then(() => document.body.classList.contains("present") && present(true))
    .catch(showError);
});
