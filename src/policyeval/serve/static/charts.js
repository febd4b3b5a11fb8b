// policyeval serve: the page's one chart module, horizontal (stacked) bars drawn as SVG.
// No dependency and nothing from the network. Labels are HTML beside the SVG, so long
// titles wrap at any width; each bar is an <svg role="img"> whose aria-label reads its
// figures; colours are presentation attributes (the page's CSP allows no inline style).
"use strict";

const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const WIDTH = 1000; // viewBox units; the SVG stretches to its box
  const HEIGHT = 20;

  function svg(tag, attrs) {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    return el;
  }

  function html(tag, cls, text) {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function legend(series) {
    const list = html("ul", "chart-legend");
    for (const s of series) {
      const item = html("li");
      const swatch = svg("svg", { width: 12, height: 12, viewBox: "0 0 12 12", "aria-hidden": "true" });
      swatch.append(svg("rect", { width: 12, height: 12, rx: 2, fill: s.color }));
      item.append(swatch, document.createTextNode(s.label));
      list.append(item);
    }
    return list;
  }

  /**
   * Draw horizontal bars into `figure`, replacing what it showed.
   *
   * spec.caption: the figure's caption; spec.series: [{key, label, color}] (a legend when
   * more than one); spec.rows: [{id, label, parts: [{series, value, label}], shown}], drawn
   * in order, each part a segment, `shown` the figure printed beside the bar (default: the
   * parts' total); spec.max: the value of a full-width bar; spec.format: value -> text.
   * The figure's data-values lists each row's printed figure (for tests and tools).
   */
  function bars(figure, spec) {
    const color = Object.fromEntries(spec.series.map((s) => [s.key, s.color]));
    const names = Object.fromEntries(spec.series.map((s) => [s.key, s.label]));
    const max = spec.max > 0 ? spec.max : 1;
    const rows = html("div", "chart-rows");
    const shown = [];
    for (const row of spec.rows) {
      const printed = row.shown ?? row.parts.reduce((s, p) => s + p.value, 0);
      shown.push(printed);
      const line = html("div", "chart-row");
      line.dataset.id = row.id;
      const bar = svg("svg", {
        class: "chart-bar", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: "none",
        role: "img",
      });
      const said = row.parts.filter((p) => p.label).map((p) => `${p.label} ${spec.format(p.value)}`);
      bar.setAttribute("aria-label", `${row.label}: ${spec.format(printed)}`
        + (said.length > 1 ? ` (${said.join(", ")})` : ""));
      let x = 0;
      for (const p of row.parts) {
        const w = (WIDTH * Math.max(0, p.value)) / max;
        if (w <= 0) continue;
        const rect = svg("rect", {
          x, y: 0, width: w, height: HEIGHT, fill: color[p.series],
          stroke: "#fff", "stroke-width": 1, "vector-effect": "non-scaling-stroke",
        });
        rect.append(svg("title", {}));
        rect.firstChild.textContent = `${p.label || names[p.series]}: ${spec.format(p.value)}`;
        bar.append(rect);
        x += w;
      }
      line.append(html("span", "chart-label", row.label), bar,
        html("span", "chart-value", spec.format(printed)));
      rows.append(line);
    }
    const caption = html("figcaption", "", spec.caption);
    const parts = [caption];
    if (spec.series.length > 1) parts.push(legend(spec.series));
    parts.push(rows);
    figure.replaceChildren(...parts);
    figure.dataset.values = shown.map((t) => t.toFixed(6)).join(" ");
  }

  return { bars };
})();
