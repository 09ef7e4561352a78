// The grid map (网格地图): the cells drawn from their own polygons on a
// canvas in Web Mercator (so a city's own tiles line up under them),
// shaded by a layer, with the cases as SVG markers over them. The data
// comes from /api/v1/map/*: only what is in view, simplified for the
// zoom, with dense markers clustered by the server.
"use strict";

(function () {
  const root = document.getElementById("map");
  const dataEl = document.getElementById("map-data");
  if (!root || !dataEl) return;
  const data = JSON.parse(dataEl.textContent);
  const text = data.text;
  const canvas = root.querySelector("canvas.mapgrid");
  const ctx = canvas.getContext("2d");
  const svg = root.querySelector("svg.mapmarkers");
  const layerG = svg.querySelector("g.layer");
  const tilesEl = root.querySelector(".maptiles");
  const statusEl = root.querySelector(".mapstatus");
  const legendEl = document.getElementById("map-legend");
  const form = document.getElementById("map-filters");
  const panel = document.getElementById("map-panel");
  const SVGNS = "http://www.w3.org/2000/svg";
  const TILE = 256;
  const RAMP = ["#fff3b0", "#fdcc5c", "#fd8d3c", "#e8452c", "#b3001f"];
  const MIN_ZOOM = 3;

  // rampColor is the colour of class k (1..n) of n, spread over the ramp.
  function rampColor(k, n) {
    return RAMP[n <= 1 ? 2 : Math.round((k - 1) * (RAMP.length - 1) / (n - 1))];
  }

  // fmt replaces %s and %d in order.
  function fmt(s) {
    let i = 1;
    const args = arguments;
    return s.replace(/%[sd]/g, () => String(args[i++]));
  }

  // The view: an integer zoom and the centre in world pixels at that zoom.
  const view = { z: 12, cx: 0, cy: 0, w: 0, h: 0 };
  let cells = null; // the last cells answer
  let cases = null; // the last cases answer
  let focusCell = data.cell ? data.cell.code : "";
  let fetched = { cells: "", cases: "" }; // what the answers were asked for
  let pending = { cells: null, cases: null };

  function worldSize(z) { return TILE * Math.pow(2, z); }
  function project(lon, lat, z) {
    const size = worldSize(z);
    const s = Math.sin(Math.max(-85.05112878, Math.min(85.05112878, lat)) * Math.PI / 180);
    return [(lon + 180) / 360 * size, (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size];
  }
  function unproject(x, y, z) {
    const size = worldSize(z);
    const lon = x / size * 360 - 180;
    const n = Math.PI - 2 * Math.PI * y / size;
    return [lon, 180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n)))];
  }
  // toScreen turns world pixels into the element's pixels.
  function toScreen(x, y) { return [x - view.cx + view.w / 2, y - view.cy + view.h / 2]; }

  function viewBounds(pad) {
    const dx = view.w * (0.5 + pad), dy = view.h * (0.5 + pad);
    const nw = unproject(view.cx - dx, view.cy - dy, view.z);
    const se = unproject(view.cx + dx, view.cy + dy, view.z);
    return { minLon: nw[0], maxLat: nw[1], maxLon: se[0], minLat: se[1] };
  }
  function bboxParam(b) {
    return [b.minLon, b.minLat, b.maxLon, b.maxLat].map((v) => v.toFixed(6)).join(",");
  }
  function contains(outer, inner) {
    return outer && inner.minLon >= outer.minLon && inner.maxLon <= outer.maxLon && inner.minLat >= outer.minLat && inner.maxLat <= outer.maxLat;
  }

  function setCenter(lon, lat, z) {
    view.z = Math.max(MIN_ZOOM, Math.min(data.max_zoom, z));
    const p = project(lon, lat, view.z);
    view.cx = p[0];
    view.cy = p[1];
  }
  function center() { return unproject(view.cx, view.cy, view.z); }

  function fitBounds(b) {
    let z = data.max_zoom;
    for (; z > MIN_ZOOM; z--) {
      const a = project(b.min_lon, b.max_lat, z), c = project(b.max_lon, b.min_lat, z);
      if (c[0] - a[0] <= view.w * 0.92 && c[1] - a[1] <= view.h * 0.92) break;
    }
    setCenter((b.min_lon + b.max_lon) / 2, (b.min_lat + b.max_lat) / 2, z);
  }

  // zoomBy zooms by dz steps keeping the screen point (sx, sy) in place.
  function zoomBy(dz, sx, sy) {
    const z = Math.max(MIN_ZOOM, Math.min(data.max_zoom, view.z + dz));
    if (z === view.z) return;
    if (sx === undefined) { sx = view.w / 2; sy = view.h / 2; }
    const wx = view.cx + sx - view.w / 2, wy = view.cy + sy - view.h / 2;
    const ll = unproject(wx, wy, view.z);
    const p = project(ll[0], ll[1], z);
    view.z = z;
    view.cx = p[0] - sx + view.w / 2;
    view.cy = p[1] - sy + view.h / 2;
    changed();
  }
  function panBy(dx, dy) {
    view.cx += dx;
    view.cy += dy;
    changed();
  }

  // Filters, from the form.
  function filters() {
    const fd = new FormData(form);
    const f = { layer: fd.get("layer") || "open", status: fd.getAll("status"), category: fd.get("category") || "",
      from: fd.get("from") || "", to: fd.get("to") || "" };
    return f;
  }
  function filterParams(f, withLayer) {
    const q = new URLSearchParams();
    if (withLayer) q.set("layer", f.layer);
    if (f.status.length) q.set("status", f.status.join(","));
    if (f.category) q.set("category", f.category);
    if (f.from) q.set("from", f.from);
    if (f.to) q.set("to", f.to);
    return q;
  }
  // remember keeps the filters, the view and the open cell in the address,
  // so that a reload or a shared link shows the same map.
  function remember() {
    const f = filters();
    const q = new URLSearchParams();
    q.set("layer", f.layer);
    f.status.forEach((s) => q.append("status", s));
    if (f.category) q.set("category", f.category);
    if (f.from) q.set("from", f.from);
    if (f.to) q.set("to", f.to);
    if (focusCell && !panel.hidden) q.set("cell", focusCell);
    const c = center();
    q.set("z", String(view.z));
    q.set("lat", c[1].toFixed(5));
    q.set("lon", c[0].toFixed(5));
    history.replaceState(null, "", "/map?" + q.toString());
  }

  let timer = 0;
  function changed() {
    draw();
    clearTimeout(timer);
    timer = setTimeout(() => { load(); remember(); }, 120);
  }

  function status(msg) { statusEl.textContent = msg || ""; statusEl.hidden = !msg; }

  async function getJSON(url, signal) {
    const resp = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal });
    const body = await resp.json().catch(() => ({}));
    if (!resp.ok) throw new Error((body.error && body.error.message) || resp.status);
    return body;
  }

  // load fetches what the view needs and has not got.
  function load(force) {
    const f = filters();
    const b = viewBounds(0);
    const wide = viewBounds(0.25);
    const cellKey = view.z + "|" + filterParams(f, true).toString();
    const caseKey = view.z + "|" + filterParams(f, false).toString();
    const jobs = [];
    if (force || !cells || fetched.cells !== cellKey || !contains(cells.box, b)) {
      if (pending.cells) pending.cells.abort();
      const ac = pending.cells = new AbortController();
      const q = filterParams(f, true);
      q.set("bbox", bboxParam(wide));
      q.set("zoom", String(view.z));
      jobs.push(getJSON("/api/v1/map/cells?" + q, ac.signal).then((r) => {
        r.box = wide;
        cells = r;
        fetched.cells = cellKey;
        legend();
      }));
    }
    if (force || !cases || fetched.cases !== caseKey || !contains(cases.box, b)) {
      if (pending.cases) pending.cases.abort();
      const ac = pending.cases = new AbortController();
      const q = filterParams(f, false);
      q.set("bbox", bboxParam(wide));
      q.set("zoom", String(view.z));
      jobs.push(getJSON("/api/v1/map/cases?" + q, ac.signal).then((r) => {
        r.box = wide;
        cases = r;
        fetched.cases = caseKey;
        markers();
      }));
    }
    if (!jobs.length) return Promise.resolve();
    status(text.loading);
    root.setAttribute("aria-busy", "true");
    return Promise.all(jobs).then(() => {
      status(cells && cells.truncated ? text.truncated : "");
      root.removeAttribute("aria-busy");
      root.dataset.loaded = String(Number(root.dataset.loaded || 0) + 1);
      draw();
    }, (err) => {
      if (err.name === "AbortError") return;
      root.removeAttribute("aria-busy");
      status(fmt(text.failed, err.message));
    });
  }

  // draw paints the tiles, the cells and places the markers for the view.
  function draw() {
    const t0 = performance.now();
    drawTiles();
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, view.w, view.h);
    if (cells && cells.zoom === view.z) {
      const ox = view.cx - view.w / 2, oy = view.cy - view.h / 2;
      const thin = cells.level === "cell";
      let focus = null;
      for (const ft of cells.features) {
        if (!ft.px) ft.px = projectFeature(ft, view.z);
        if (ft.px.maxX < ox || ft.px.minX > ox + view.w || ft.px.maxY < oy || ft.px.minY > oy + view.h) continue;
        ctx.beginPath();
        tracePath(ft.px.rings, ox, oy);
        if (ft.class > 0) {
          ctx.fillStyle = rampColor(ft.class, cells.breaks.length);
          ctx.globalAlpha = data.tiles ? 0.6 : 0.78;
          ctx.fill("evenodd");
          ctx.globalAlpha = 1;
        } else if (!data.tiles) {
          ctx.fillStyle = "rgba(255,255,255,0.55)";
          ctx.fill("evenodd");
        }
        ctx.lineWidth = thin ? 0.6 : 1.2;
        ctx.strokeStyle = thin ? "rgba(60,72,88,0.45)" : "rgba(40,52,70,0.8)";
        ctx.stroke();
        if (ft.code === focusCell) focus = ft;
      }
      if (focus) {
        ctx.beginPath();
        tracePath(focus.px.rings, ox, oy);
        ctx.lineWidth = 4;
        ctx.strokeStyle = "#fff";
        ctx.stroke();
        ctx.lineWidth = 2.5;
        ctx.strokeStyle = "#0b57d0";
        ctx.stroke();
      }
    }
    placeMarkers();
    window.civicMap.lastDrawMs = performance.now() - t0;
  }

  function projectFeature(ft, z) {
    const out = { rings: [], minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    for (const poly of ft.geometry.coordinates) {
      for (const ring of poly) {
        const r = new Float64Array(ring.length * 2);
        ring.forEach((p, i) => {
          const q = project(p[0], p[1], z);
          r[2 * i] = q[0];
          r[2 * i + 1] = q[1];
          if (q[0] < out.minX) out.minX = q[0];
          if (q[0] > out.maxX) out.maxX = q[0];
          if (q[1] < out.minY) out.minY = q[1];
          if (q[1] > out.maxY) out.maxY = q[1];
        });
        out.rings.push(r);
      }
    }
    return out;
  }
  function tracePath(rings, ox, oy) {
    for (const r of rings) {
      ctx.moveTo(r[0] - ox, r[1] - oy);
      for (let i = 2; i < r.length; i += 2) ctx.lineTo(r[i] - ox, r[i + 1] - oy);
      ctx.closePath();
    }
  }

  // The basemap, when the city has its own tile server.
  const tiles = new Map();
  function drawTiles() {
    if (!data.tiles) return;
    const n = Math.pow(2, view.z);
    const ox = view.cx - view.w / 2, oy = view.cy - view.h / 2;
    const want = new Set();
    for (let ty = Math.floor(oy / TILE); ty <= Math.floor((oy + view.h) / TILE); ty++) {
      if (ty < 0 || ty >= n) continue;
      for (let tx = Math.floor(ox / TILE); tx <= Math.floor((ox + view.w) / TILE); tx++) {
        const key = view.z + "/" + tx + "/" + ty;
        want.add(key);
        let img = tiles.get(key);
        if (!img) {
          img = new Image(TILE, TILE);
          img.alt = "";
          img.draggable = false;
          img.src = data.tiles.replace("{z}", view.z).replace("{x}", ((tx % n) + n) % n).replace("{y}", ty);
          tiles.set(key, img);
          tilesEl.appendChild(img);
        }
        img.style.transform = "translate(" + (tx * TILE - ox) + "px," + (ty * TILE - oy) + "px)";
      }
    }
    for (const [key, img] of tiles) {
      if (!want.has(key)) { img.remove(); tiles.delete(key); }
    }
  }

  // markers builds the SVG markers of the last cases answer; placeMarkers
  // moves them with the view.
  // Markers sit at their place less an anchor, the north-west corner of
  // the box they were asked for: world pixels at a street's zoom run to
  // tens of millions, past what browsers lay out exactly.
  let markerZ = -1;
  let anchor = [0, 0];
  function markers() {
    layerG.textContent = "";
    delete layerG.dataset.placed;
    markerZ = cases.zoom;
    anchor = project(cases.box.minLon, cases.box.maxLat, cases.zoom);
    for (const c of cases.clusters) {
      const p = project(c.lon, c.lat, cases.zoom);
      const g = document.createElementNS(SVGNS, "g");
      const worst = c.classes.overdue ? "overdue" : c.classes.open ? "open" : "closed";
      g.setAttribute("class", "cluster " + worst);
      g.dataset.x = p[0];
      g.dataset.y = p[1];
      g.dataset.count = c.count;
      const r = 11 + 4 * Math.log10(c.count);
      const halo = document.createElementNS(SVGNS, "circle");
      halo.setAttribute("r", r + 4);
      halo.setAttribute("class", "halo");
      const circle = document.createElementNS(SVGNS, "circle");
      circle.setAttribute("r", r);
      const label = document.createElementNS(SVGNS, "text");
      label.setAttribute("dy", "0.35em");
      label.textContent = c.count >= 1000 ? (c.count / 1000).toFixed(c.count >= 10000 ? 0 : 1) + "k" : c.count;
      const title = document.createElementNS(SVGNS, "title");
      title.textContent = fmt(text.cluster, c.count) + " · " + ["open", "overdue", "closed"].filter((k) => c.classes[k]).map((k) => text["class." + k] + " " + c.classes[k]).join(" · ");
      g.append(halo, circle, label, title);
      layerG.appendChild(g);
    }
    for (const m of cases.markers) {
      const p = project(m.lon, m.lat, cases.zoom);
      const g = document.createElementNS(SVGNS, "g");
      g.setAttribute("class", "marker " + m.class);
      g.dataset.x = p[0];
      g.dataset.y = p[1];
      g.dataset.id = m.id;
      g.dataset.number = m.number;
      g.dataset.cell = m.cell_code;
      const use = document.createElementNS(SVGNS, "use");
      use.setAttribute("href", "#sym-" + m.class);
      use.setAttribute("x", "-9");
      use.setAttribute("y", "-9");
      use.setAttribute("width", "18");
      use.setAttribute("height", "18");
      const title = document.createElementNS(SVGNS, "title");
      title.textContent = m.number + " · " + m.category + " · " + text["class." + m.class];
      g.append(use, title);
      layerG.appendChild(g);
    }
    placeMarkers();
  }
  function placeMarkers() {
    const visible = cases && markerZ === view.z;
    layerG.style.display = visible ? "" : "none";
    if (!visible) return;
    const ox = view.cx - view.w / 2, oy = view.cy - view.h / 2;
    layerG.setAttribute("transform", "translate(" + (anchor[0] - ox).toFixed(1) + "," + (anchor[1] - oy).toFixed(1) + ")");
    if (layerG.dataset.placed === String(markerZ) + "|" + layerG.childElementCount) return;
    for (const g of layerG.children) {
      g.setAttribute("transform", "translate(" + (Number(g.dataset.x) - anchor[0]).toFixed(1) + "," + (Number(g.dataset.y) - anchor[1]).toFixed(1) + ")");
    }
    layerG.dataset.placed = String(markerZ) + "|" + layerG.childElementCount;
  }

  function legend() {
    legendEl.textContent = "";
    const title = document.createElement("p");
    title.className = "legend-title";
    // The period's end is exclusive; the legend names its last day.
    const last = cells.to ? new Date(Date.parse(cells.to + "T00:00:00Z") - 86400000).toISOString().slice(0, 10) : "";
    title.textContent = cells.layer === "reported" ? fmt(text["legend.reported"], cells.from, last) : text["legend." + cells.layer] || cells.layer;
    const level = document.createElement("p");
    level.className = "legend-level";
    level.textContent = text["level." + cells.level] || "";
    const ul = document.createElement("ul");
    const row = (color, label) => {
      const li = document.createElement("li");
      const sw = document.createElement("span");
      sw.className = "swatch";
      if (color) sw.style.background = color; else sw.classList.add("none");
      li.append(sw, document.createTextNode(label));
      ul.appendChild(li);
    };
    row("", "0");
    const b = cells.breaks;
    b.forEach((lo, i) => {
      const hi = i + 1 < b.length ? b[i + 1] : null;
      let label;
      if (hi === null) label = "≥ " + lo;
      else if (Number.isInteger(lo) && Number.isInteger(hi) && hi - 1 === lo) label = String(lo);
      else if (Number.isInteger(lo) && Number.isInteger(hi)) label = lo + "–" + (hi - 1);
      else label = lo + "–" + hi;
      row(rampColor(i + 1, b.length), label);
    });
    legendEl.append(title, ul, level);
  }

  // The cell panel.
  async function openCell(code, focusPanel) {
    focusCell = code;
    draw();
    const f = filters();
    const q = filterParams(f, false);
    panel.hidden = false;
    root.parentElement.parentElement.classList.add("panel-open");
    const titleEl = panel.querySelector("h2");
    titleEl.textContent = fmt(text["panel.title"], code);
    const list = panel.querySelector(".panelcases");
    list.textContent = "";
    panel.querySelector(".panelcount").textContent = text.loading;
    panel.querySelector(".panelmore").textContent = "";
    panel.querySelector(".panelplace").textContent = "";
    if (focusPanel) titleEl.focus();
    remember();
    let r;
    try {
      r = await getJSON("/api/v1/map/cells/" + encodeURIComponent(code) + "/cases?" + q);
    } catch (err) {
      panel.querySelector(".panelcount").textContent = fmt(text.failed, err.message);
      return;
    }
    if (focusCell !== code) return;
    const c = r.cell;
    panel.querySelector(".panelplace").textContent = [c.district_name, c.street_name, c.community_name, c.name].filter(Boolean).join(" · ");
    panel.querySelector(".panelcount").textContent = r.total ? fmt(text["panel.count"], r.total) : text["panel.empty"];
    if (r.more) panel.querySelector(".panelmore").textContent = fmt(text["panel.more"], r.items.length);
    panel.querySelector("a.panellist").href = r.list_url;
    for (const it of r.items) {
      const li = document.createElement("li");
      li.className = "pcase " + it.class;
      const sym = document.createElementNS(SVGNS, "svg");
      sym.setAttribute("class", "sym");
      sym.setAttribute("width", "16");
      sym.setAttribute("height", "16");
      sym.setAttribute("viewBox", "-8 -8 16 16");
      sym.setAttribute("aria-hidden", "true");
      const use = document.createElementNS(SVGNS, "use");
      use.setAttribute("href", "#sym-" + it.class);
      use.setAttribute("x", "-8");
      use.setAttribute("y", "-8");
      use.setAttribute("width", "16");
      use.setAttribute("height", "16");
      sym.appendChild(use);
      const a = document.createElement("a");
      a.href = it.url;
      a.textContent = it.number;
      const cat = document.createElement("span");
      cat.className = "pcat";
      cat.textContent = it.category;
      const st = document.createElement("span");
      st.className = "pstatus";
      st.textContent = it.status_name + (it.class === "overdue" ? " · " + text["class.overdue"] : "");
      const light = document.createElement("span");
      light.className = "light " + (it.light || "none");
      light.textContent = text["light." + (it.light || "none")];
      li.append(sym, a, cat, st, light);
      list.appendChild(li);
    }
  }
  function closePanel() {
    panel.hidden = true;
    root.parentElement.parentElement.classList.remove("panel-open");
    focusCell = "";
    draw();
    remember();
    root.focus();
  }
  panel.querySelector("button.close").addEventListener("click", closePanel);

  // cellAt returns the loaded cell under the screen point, or null.
  function cellAt(sx, sy) {
    if (!cells || cells.level !== "cell" || cells.zoom !== view.z) return null;
    const x = view.cx - view.w / 2 + sx, y = view.cy - view.h / 2 + sy;
    for (const ft of cells.features) {
      const px = ft.px || (ft.px = projectFeature(ft, view.z));
      if (x < px.minX || x > px.maxX || y < px.minY || y > px.maxY) continue;
      let inside = false;
      for (const r of px.rings) {
        for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
          if ((r[i + 1] > y) !== (r[j + 1] > y) && x < (r[j] - r[i]) * (y - r[i + 1]) / (r[j + 1] - r[i + 1]) + r[i]) inside = !inside;
        }
      }
      if (inside) return ft;
    }
    return null;
  }

  function clickAt(sx, sy, target) {
    const g = target && target.closest && target.closest("g.marker, g.cluster");
    if (g && g.classList.contains("cluster")) {
      const x = Number(g.dataset.x), y = Number(g.dataset.y);
      const ll = unproject(x, y, markerZ);
      setCenter(ll[0], ll[1], view.z + 2);
      changed();
      return;
    }
    if (g) {
      openCell(g.dataset.cell, false);
      return;
    }
    const ft = cellAt(sx, sy);
    if (ft) {
      openCell(ft.code, false);
      return;
    }
    if (cells && cells.level !== "cell") {
      zoomBy(Math.max(2, data.cell_zoom - view.z), sx, sy);
      return;
    }
    status(text.nocell);
  }

  // Pointer: drag to pan, click to pick, wheel or two fingers to zoom.
  let drag = null;
  const touches = new Map(); // pointer id → [x, y], while two fingers pinch
  let pinch = 0; // the fingers' distance at the last zoom step
  const spread = () => {
    const [a, b] = [...touches.values()];
    return Math.hypot(a[0] - b[0], a[1] - b[1]);
  };
  root.addEventListener("pointerdown", (e) => {
    if (e.pointerType === "touch") {
      touches.set(e.pointerId, [e.clientX, e.clientY]);
      if (touches.size === 2) { drag = null; pinch = spread(); return; }
    }
    if (e.button !== 0 || e.target.closest(".mapctl")) return;
    drag = { x: e.clientX, y: e.clientY, moved: false, target: e.target, id: e.pointerId };
  });
  root.addEventListener("pointermove", (e) => {
    if (touches.has(e.pointerId)) {
      touches.set(e.pointerId, [e.clientX, e.clientY]);
      if (touches.size === 2 && pinch > 0) {
        const d = spread(), rect = root.getBoundingClientRect();
        const [a, b] = [...touches.values()];
        if (d > pinch * 1.6 || d < pinch / 1.6) {
          zoomBy(d > pinch ? 1 : -1, (a[0] + b[0]) / 2 - rect.left, (a[1] + b[1]) / 2 - rect.top);
          pinch = d;
        }
        return;
      }
    }
    if (!drag || drag.id !== e.pointerId) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
    if (!drag.moved) {
      drag.moved = true;
      root.setPointerCapture(e.pointerId);
      root.classList.add("dragging");
    }
    drag.x = e.clientX;
    drag.y = e.clientY;
    panBy(-dx, -dy);
  });
  const lift = (e) => {
    touches.delete(e.pointerId);
    if (touches.size < 2) pinch = 0;
  };
  root.addEventListener("pointerup", (e) => {
    lift(e);
    if (!drag || drag.id !== e.pointerId) return;
    const d = drag;
    drag = null;
    root.classList.remove("dragging");
    if (d.moved) return;
    const rect = root.getBoundingClientRect();
    clickAt(e.clientX - rect.left, e.clientY - rect.top, d.target);
  });
  root.addEventListener("pointercancel", (e) => { lift(e); drag = null; root.classList.remove("dragging"); });
  let wheelAt = 0;
  root.addEventListener("wheel", (e) => {
    e.preventDefault();
    const now = performance.now();
    if (now - wheelAt < 180) return; // one step per flick of the wheel
    wheelAt = now;
    const rect = root.getBoundingClientRect();
    zoomBy(e.deltaY < 0 ? 1 : -1, e.clientX - rect.left, e.clientY - rect.top);
  }, { passive: false });
  root.addEventListener("dblclick", (e) => {
    const rect = root.getBoundingClientRect();
    zoomBy(1, e.clientX - rect.left, e.clientY - rect.top);
  });

  // Keyboard: arrows pan, +/− zoom, 0 fits the city, Esc closes the panel.
  root.addEventListener("keydown", (e) => {
    const step = e.shiftKey ? 300 : 100;
    switch (e.key) {
      case "ArrowLeft": panBy(-step, 0); break;
      case "ArrowRight": panBy(step, 0); break;
      case "ArrowUp": panBy(0, -step); break;
      case "ArrowDown": panBy(0, step); break;
      case "+": case "=": zoomBy(1); break;
      case "-": case "_": zoomBy(-1); break;
      case "0": fitBounds(data.bounds); changed(); break;
      case "Escape": if (!panel.hidden) closePanel(); break;
      case "Enter": {
        const ft = cellAt(view.w / 2, view.h / 2);
        if (ft) openCell(ft.code, true);
        break;
      }
      default: return;
    }
    e.preventDefault();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !panel.hidden && panel.contains(document.activeElement)) closePanel();
  });

  root.querySelectorAll(".mapctl button").forEach((b) => b.addEventListener("click", () => {
    if (b.dataset.fit) { fitBounds(data.bounds); changed(); return; }
    zoomBy(Number(b.dataset.zoom));
  }));

  form.addEventListener("change", () => {
    load(true);
    remember();
    if (!panel.hidden && focusCell) openCell(focusCell, false);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    load(true);
    remember();
    if (!panel.hidden && focusCell) openCell(focusCell, false);
  });

  function resize() {
    const rect = root.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    view.w = Math.max(1, Math.round(rect.width));
    view.h = Math.max(1, Math.round(rect.height));
    canvas.width = Math.round(view.w * dpr);
    canvas.height = Math.round(view.h * dpr);
    canvas.style.width = view.w + "px";
    canvas.style.height = view.h + "px";
    svg.setAttribute("width", view.w);
    svg.setAttribute("height", view.h);
  }

  // civicMap is for tests and the curious: the view, the last draw's time,
  // and where a place is on the page.
  window.civicMap = { view, lastDrawMs: 0, features: () => (cells ? cells.features.length : 0),
    pageXY: (lon, lat) => {
      const p = project(lon, lat, view.z), s = toScreen(p[0], p[1]), r = root.getBoundingClientRect();
      return [r.left + s[0], r.top + s[1]];
    } };

  resize();
  const params = new URLSearchParams(location.search);
  if (data.cell) {
    setCenter(data.cell.centroid.lon, data.cell.centroid.lat, Math.max(Number(params.get("z")) || 0, data.cell_zoom + 2));
  } else if (params.get("z") && params.get("lat") && params.get("lon")) {
    setCenter(Number(params.get("lon")), Number(params.get("lat")), Number(params.get("z")));
  } else {
    fitBounds(data.bounds);
  }
  draw();
  load().then(() => { if (data.cell) openCell(data.cell.code, false); });
  new ResizeObserver(() => { resize(); draw(); clearTimeout(timer); timer = setTimeout(load, 120); }).observe(root);
})();
