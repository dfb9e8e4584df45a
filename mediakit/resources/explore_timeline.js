// Attention-over-time chart of mediakit's explorer: one line per series, a column per period
// that selects the period when clicked, spikes and partial periods marked. Plain SVG, no build.
const SVG = "http://www.w3.org/2000/svg";
const W = 760, H = 300, M = { left: 56, right: 150, top: 16, bottom: 40 };

function el(name, attrs, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function fmt(value, measure) {
  return measure === "share" ? (100 * value).toFixed(1) + "%" : String(Math.round(value));
}

function render({ model, el: host }) {
  host.classList.add("mk-explore-timeline");
  const draw = () => {
    host.replaceChildren();
    const data = model.get("data") || { periods: [], series: [] };
    const measure = model.get("measure");
    const selected = model.get("selected") || {};
    const periods = data.periods || [];
    const series = data.series || [];
    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img",
      "aria-label": data.description || "attention over time",
      "data-query": model.get("query_text") || "", "data-version": String(model.get("version")) }, host);
    if (!periods.length) {
      const t = el("text", { x: W / 2, y: H / 2, "text-anchor": "middle", fill: "#555" }, svg);
      t.textContent = data.empty_reason || "no dated articles";
      return;
    }
    const plotW = W - M.left - M.right, plotH = H - M.top - M.bottom;
    const step = plotW / periods.length;
    const x = (i) => M.left + step * (i + 0.5);
    let top = 0;
    for (const s of series) for (const p of s.points) top = Math.max(top, p.high ?? p.value, p.value);
    top = top > 0 ? top * 1.08 : 1;
    const y = (v) => M.top + plotH * (1 - v / top);
    // axes and gridlines
    for (let k = 0; k <= 4; k++) {
      const v = (top * k) / 4;
      el("line", { x1: M.left, x2: M.left + plotW, y1: y(v), y2: y(v), stroke: "#e5e5e5" }, svg);
      const t = el("text", { x: M.left - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 11, fill: "#444" }, svg);
      t.textContent = fmt(v, measure);
    }
    const every = Math.max(1, Math.ceil(periods.length / 7));
    periods.forEach((p, i) => {
      if (i % every) return;
      const t = el("text", { x: x(i), y: H - M.bottom + 16, "text-anchor": "middle", "font-size": 11, fill: "#444" }, svg);
      t.textContent = p.label;
    });
    // the selected period, shaded
    const at = periods.findIndex((p) => p.start === selected.period);
    if (at >= 0) el("rect", { x: M.left + step * at, y: M.top, width: step, height: plotH, fill: data.highlight }, svg);
    // one band (95% interval) and one line per series
    for (const s of series) {
      if (s.points.some((p) => p.low !== undefined && p.low !== null)) {
        const upper = s.points.map((p, i) => `${x(i)},${y(p.high)}`);
        const lower = s.points.map((p, i) => `${x(i)},${y(p.low)}`).reverse();
        el("polygon", { points: upper.concat(lower).join(" "), fill: s.color, opacity: 0.12 }, svg);
      }
      el("polyline", { points: s.points.map((p, i) => `${x(i)},${y(p.value)}`).join(" "),
        fill: "none", stroke: s.color, "stroke-width": 1.8 }, svg);
      s.points.forEach((p, i) => {
        const dot = el("circle", { cx: x(i), cy: y(p.value), r: p.spike ? 5 : 2.5,
          fill: p.partial ? "white" : s.color, stroke: p.spike ? "#000" : s.color,
          "stroke-width": p.spike ? 1.5 : 1 }, svg);
        const tip = el("title", {}, dot);
        tip.textContent = `${s.name}, ${periods[i].label}: ${fmt(p.value, measure)} (${p.count} of ${p.total})` +
          (p.spike ? ", spike" : "") + (p.partial ? ", partial period" : "");
      });
    }
    // legend, right of the plot
    series.forEach((s, k) => {
      const ly = M.top + 14 + 18 * k;
      el("line", { x1: W - M.right + 12, x2: W - M.right + 30, y1: ly, y2: ly, stroke: s.color, "stroke-width": 3 }, svg);
      const t = el("text", { x: W - M.right + 36, y: ly + 4, "font-size": 12, fill: "#222" }, svg);
      t.textContent = s.name;
    });
    const keyY = M.top + 28 + 18 * series.length;
    el("circle", { cx: W - M.right + 21, cy: keyY, r: 5, fill: "#999", stroke: "#000", "stroke-width": 1.5 }, svg);
    el("text", { x: W - M.right + 36, y: keyY + 4, "font-size": 11, fill: "#444" }, svg).textContent = "spike";
    el("circle", { cx: W - M.right + 21, cy: keyY + 18, r: 3, fill: "white", stroke: "#999" }, svg);
    el("text", { x: W - M.right + 36, y: keyY + 22, "font-size": 11, fill: "#444" }, svg).textContent = "partial period";
    // click targets: one transparent column per period, on top
    periods.forEach((p, i) => {
      const hit = el("rect", { x: M.left + step * i, y: M.top, width: step, height: plotH,
        fill: "transparent", class: "mk-period", "data-period": p.start, style: "cursor: pointer" }, svg);
      const tip = el("title", {}, hit);
      tip.textContent = `${p.label}: click to list the matching articles`;
      hit.addEventListener("click", () => {
        model.set("selected", { period: p.start });
        model.save_changes();
      });
    });
  };
  // the kernel bumps `version` after setting everything else: one redraw per update
  model.on("change:version", draw);
  model.on("change:selected", draw);
  draw();
}

export default { render };
