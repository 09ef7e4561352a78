// civicgrid inspector page (巡查): report with the camera and GPS, and keep
// reports made without network in IndexedDB until they are sent.
//
// Every report is written to the outbox first, with its own
// Idempotency-Key (also its external id) and the device's time, and only
// then sent; it leaves the outbox when the server has answered. A page
// reloaded mid-send sends it again with the same key, and the server gives
// back the first answer (or, the key being gone, finds the report by its
// external id), so each report makes one case however often it is sent.
"use strict";

(function () {
  var root = document.getElementById("insp");
  if (!root) return;
  root.classList.add("js");
  var scope = root.dataset.scope;
  var $ = function (id) { return document.getElementById(id); };

  // ---- IndexedDB: the outbox and the recently sent ----
  var DB = "civicgrid-inspector", OUTBOX = "outbox", SENT = "sent";
  var dbp = null;
  function db() {
    if (!dbp) {
      dbp = new Promise(function (resolve, reject) {
        var req = indexedDB.open(DB, 1);
        req.onupgradeneeded = function () {
          var d = req.result;
          if (!d.objectStoreNames.contains(OUTBOX)) d.createObjectStore(OUTBOX, { keyPath: "key" });
          if (!d.objectStoreNames.contains(SENT)) d.createObjectStore(SENT, { keyPath: "key" });
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbp;
  }
  function tx(store, mode, fn) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(store, mode);
        var out = fn(t.objectStore(store));
        t.oncomplete = function () { resolve(out && "result" in out ? out.result : undefined); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }
  function all(store) { return tx(store, "readonly", function (s) { return s.getAll(); }); }
  function put(store, v) { return tx(store, "readwrite", function (s) { s.put(v); }); }
  function del(store, key) { return tx(store, "readwrite", function (s) { s.delete(key); }); }

  // newKey returns a random key; crypto.getRandomValues works on plain
  // http too, where randomUUID does not.
  function newKey() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return "insp-" + Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  // ---- The network indicator ----
  var net = $("net");
  function showNet() {
    var on = navigator.onLine;
    net.textContent = on ? net.dataset.up : net.dataset.down;
    net.classList.toggle("off", !on);
  }

  // ---- Tabs: one panel at a time on the phone ----
  var tabs = root.querySelectorAll(".insp-tabs a");
  function showTab() {
    var want = (location.hash || "#report").slice(1);
    if (!$(want) || !$(want).classList.contains("insp-panel")) want = "report";
    root.querySelectorAll(".insp-panel").forEach(function (p) { p.classList.toggle("active", p.id === want); });
    tabs.forEach(function (a) {
      if (a.dataset.tab === want) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
  }

  // ---- Photos: a preview from a data: URL (the page's policy allows no blob:) ----
  function preview(input, img) {
    input.addEventListener("change", function () {
      var f = input.files && input.files[0];
      if (!f) { img.hidden = true; return; }
      var r = new FileReader();
      r.onload = function () { img.src = r.result; img.hidden = false; };
      r.readAsDataURL(f);
    });
  }

  // ---- Where: GPS, a tap on the map, or a cell ----
  var lat = $("insp-lat"), lon = $("insp-lon"), acc = $("insp-acc"), gps = $("gps");
  var svg = root.querySelector("svg.gridmap"), pin = svg && svg.querySelector(".pin");
  function setPoint(la, lo, how, accuracy) {
    lat.value = la.toFixed(6);
    lon.value = lo.toFixed(6);
    acc.value = accuracy ? String(Math.round(accuracy)) : "";
    gps.textContent = (how === "gps" ? gps.dataset.acc.replace("%s", String(Math.round(accuracy))) : gps.dataset[how]) +
      " · " + lat.value + ", " + lon.value;
    gps.className = "gps " + how + (how === "gps" && accuracy > 50 ? " rough" : "");
    movePin();
  }
  function movePin() {
    if (!svg || !pin) return;
    var d = svg.dataset, la = parseFloat(lat.value), lo = parseFloat(lon.value);
    if (isNaN(la) || isNaN(lo)) return;
    var x = (lo - parseFloat(d.minLon)) * parseFloat(d.cos) * parseFloat(d.k);
    var y = (parseFloat(d.maxLat) - la) * parseFloat(d.k);
    pin.setAttribute("transform", "translate(" + x.toFixed(1) + " " + y.toFixed(1) + ")");
    pin.classList.remove("none");
  }
  function locate() {
    if (!navigator.geolocation) { gps.textContent = gps.dataset.fail; return; }
    gps.textContent = gps.dataset.locating;
    gps.className = "gps locating";
    navigator.geolocation.getCurrentPosition(function (pos) {
      setPoint(pos.coords.latitude, pos.coords.longitude, "gps", pos.coords.accuracy);
    }, function () {
      gps.textContent = gps.dataset.fail;
      gps.className = "gps fail";
      openMap(true);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
  }
  var mapBox = $("insp-map"), toggle = $("map-toggle");
  function openMap(open) {
    mapBox.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
  }
  if (svg) {
    svg.classList.add("pickable");
    svg.addEventListener("click", function (ev) {
      var pt = svg.createSVGPoint();
      pt.x = ev.clientX;
      pt.y = ev.clientY;
      var p = pt.matrixTransform(svg.getScreenCTM().inverse()), d = svg.dataset;
      var k = parseFloat(d.k);
      setPoint(parseFloat(d.maxLat) - p.y / k, parseFloat(d.minLon) + p.x / (parseFloat(d.cos) * k), "picked");
    });
  }
  var cellSel = $("insp-cell");
  function useCell(code) {
    if (!cellSel) return;
    var opt = cellSel.querySelector('option[value="' + code + '"]');
    if (!opt) return;
    cellSel.value = code;
    setPoint(parseFloat(opt.dataset.lat), parseFloat(opt.dataset.lon), "cell");
  }

  // ---- The category picker: search; frequent ones come first ----
  var search = $("cat-search"), cats = root.querySelectorAll("#cat-list .cat");
  function filterCats() {
    var q = search.value.trim().toLowerCase(), shown = 0;
    cats.forEach(function (c) {
      var hit = !q || c.dataset.search.indexOf(q) >= 0 || c.querySelector("input").checked;
      c.hidden = !hit;
      if (hit) shown++;
    });
    root.querySelectorAll("#cat-list .cat-class").forEach(function (h) {
      var n = h.nextElementSibling, any = false;
      while (n && n.classList.contains("cat")) { if (!n.hidden) any = true; n = n.nextElementSibling; }
      h.hidden = !any;
    });
    $("cat-none").hidden = shown > 0;
  }

  // ---- The outbox ----
  var outboxEl = $("outbox"), sentEl = $("sent"), errEl = $("insp-err");
  var sending = {}; // key → true while this page sends it
  var signedOut = false; // the server wants a new sign-in before it takes reports
  function fmtTime(iso) {
    var d = new Date(iso), p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + " " + p(d.getHours()) + ":" + p(d.getMinutes());
  }
  function render() {
    return Promise.all([all(OUTBOX), all(SENT)]).then(function (r) {
      var waiting = r[0].filter(function (it) { return it.scope === scope; });
      var sent = r[1].filter(function (it) { return it.scope === scope; });
      waiting.sort(function (a, b) { return a.seenAt < b.seenAt ? -1 : 1; });
      sent.sort(function (a, b) { return a.sentAt < b.sentAt ? 1 : -1; });
      outboxEl.textContent = "";
      waiting.forEach(function (it) {
        var li = document.createElement("li");
        li.className = "item" + (it.refused ? " refused" : sending[it.key] ? " sending" : " waiting");
        li.dataset.key = it.key;
        if (it.thumb) {
          var img = document.createElement("img");
          img.src = it.thumb;
          img.alt = "";
          li.appendChild(img);
        }
        var body = document.createElement("div");
        var h = document.createElement("strong");
        h.textContent = it.categoryName;
        var meta = document.createElement("small");
        meta.textContent = outboxEl.dataset.seen + " " + fmtTime(it.seenAt) + " · " + it.description.slice(0, 40);
        var st = document.createElement("span");
        st.className = "state";
        st.textContent = it.refused ? outboxEl.dataset.refused + ": " + it.refused : sending[it.key] ? outboxEl.dataset.sending :
          signedOut ? outboxEl.dataset.login : outboxEl.dataset.waiting;
        body.append(h, st, meta);
        li.appendChild(body);
        if (it.refused) {
          var rm = document.createElement("button");
          rm.type = "button";
          rm.className = "secondary";
          rm.textContent = outboxEl.dataset.remove;
          rm.addEventListener("click", function () { del(OUTBOX, it.key).then(render); });
          li.appendChild(rm);
        }
        outboxEl.appendChild(li);
      });
      $("outbox-section").hidden = waiting.length === 0;
      var count = $("waiting-count"), n = waiting.filter(function (it) { return !it.refused; }).length;
      count.hidden = n === 0;
      count.textContent = outboxEl.dataset.count.replace("%d", String(n));
      sentEl.textContent = "";
      sent.slice(0, 10).forEach(function (it) {
        var li = document.createElement("li");
        li.className = "item sent";
        li.dataset.key = it.key;
        var a = document.createElement("a");
        a.href = "/cases/" + it.id;
        a.textContent = it.number;
        var s = document.createElement("span");
        s.textContent = (it.folded ? sentEl.dataset.folded : sentEl.dataset.sent) + " ";
        var meta = document.createElement("small");
        meta.textContent = it.categoryName + " · " + outboxEl.dataset.seen + " " + fmtTime(it.seenAt);
        li.append(s, a, meta);
        sentEl.appendChild(li);
      });
      $("sent-section").hidden = sent.length === 0;
    });
  }

  var flushing = null, retry = null;
  function later(ms) {
    clearTimeout(retry);
    retry = setTimeout(flush, ms);
  }
  // flush sends the waiting reports one by one, oldest first; only one
  // page of the browser does so at a time.
  function flush() {
    if (flushing) return flushing;
    var run = function () {
      return all(OUTBOX).then(function (items) {
        items = items.filter(function (it) { return it.scope === scope && !it.refused; });
        items.sort(function (a, b) { return a.seenAt < b.seenAt ? -1 : 1; });
        var next = function (i) {
          if (i >= items.length) return null;
          return sendOne(items[i]).then(function (goOn) { return goOn ? next(i + 1) : null; });
        };
        return next(0);
      });
    };
    var p = navigator.locks ? navigator.locks.request("civicgrid-inspector-outbox", run) : run();
    flushing = p.catch(function () { later(15000); }).then(function () { flushing = null; return render(); });
    return flushing;
  }
  // sendOne sends one report and reports whether to go on with the next.
  function sendOne(it) {
    var fd = new FormData();
    fd.append("report", it.report);
    if (it.photo) fd.append("photo", it.photo, "photo.jpg");
    sending[it.key] = true;
    render();
    return fetch("/api/v1/cases", {
      method: "POST", body: fd, credentials: "same-origin",
      headers: { "Idempotency-Key": it.key, "Accept": "application/json" }
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        delete sending[it.key];
        signedOut = res.status === 401;
        if (res.status === 200 || res.status === 201) {
          return put(SENT, {
            key: it.key, scope: it.scope, id: body.id, number: body.number, folded: !!body.folded,
            categoryName: it.categoryName, seenAt: it.seenAt, sentAt: new Date().toISOString()
          }).then(function () { return del(OUTBOX, it.key); }).then(pruneSent).then(function () { return true; });
        }
        if (res.status === 409 && res.headers.get("Retry-After") || res.status === 429 || res.status >= 500 || res.status === 401) {
          later(res.status === 409 ? 1500 : 15000); // still being served, or not now
          return false;
        }
        it.refused = (body.error && body.error.message) || ("HTTP " + res.status);
        return put(OUTBOX, it).then(function () { return true; });
      });
    }, function () {
      delete sending[it.key]; // no network: wait for it
      later(30000);
      return false;
    });
  }
  function pruneSent() {
    return all(SENT).then(function (items) {
      items.sort(function (a, b) { return a.sentAt < b.sentAt ? 1 : -1; });
      return Promise.all(items.slice(30).map(function (it) { return del(SENT, it.key); }));
    });
  }

  // ---- Reporting ----
  var form = $("insp-form");
  function fail(msg) {
    errEl.textContent = msg;
    errEl.hidden = false;
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    errEl.hidden = true;
    var cat = form.querySelector("input[name=category_code]:checked");
    var la = parseFloat(lat.value), lo = parseFloat(lon.value);
    if (!cat || isNaN(la) || isNaN(lo) || !form.description.value.trim()) {
      fail(gps.dataset.fail);
      return;
    }
    var key = newKey(), seenAt = new Date().toISOString();
    var report = {
      category_code: cat.value, lat: la, lon: lo, description: form.description.value.trim(),
      source: "inspector", intake: { device_time: seenAt, external_id: key }
    };
    if (form.address.value.trim()) report.address = form.address.value.trim();
    if (acc.value) report.intake.attributes = { gps_accuracy_m: acc.value };
    var photo = $("insp-photo").files[0] || null;
    var prev = $("insp-preview");
    var item = {
      key: key, scope: scope, report: JSON.stringify(report), photo: photo, seenAt: seenAt,
      categoryName: cat.parentNode.querySelector("span").textContent, description: report.description,
      thumb: photo && !prev.hidden ? prev.src : ""
    };
    put(OUTBOX, item).then(function () {
      // The report is safe on the phone: clear the form for the next one.
      form.description.value = "";
      form.address.value = "";
      $("insp-photo").value = "";
      prev.hidden = true;
      prev.removeAttribute("src");
      cat.checked = false;
      search.value = "";
      filterCats();
      return render();
    }).then(function () {
      $("outbox-section").scrollIntoView({ block: "nearest" });
      if (navigator.onLine) flush();
    }, function (e) { fail(String(e)); });
  });

  // ---- Tasks: need the network ----
  root.querySelectorAll(".task-form").forEach(function (f) {
    var input = f.querySelector(".task-photo"), img = f.querySelector("img.preview");
    if (input && img) preview(input, img);
    f.addEventListener("submit", function (ev) {
      if (!navigator.onLine) {
        ev.preventDefault();
        alert(net.dataset.down);
      }
    });
  });

  // ---- Start ----
  preview($("insp-photo"), $("insp-preview"));
  search.hidden = false;
  search.addEventListener("input", filterCats);
  toggle.addEventListener("click", function () { openMap(!mapBox.classList.contains("open")); });
  if (cellSel) cellSel.addEventListener("change", function () { if (cellSel.value) useCell(cellSel.value); });
  root.querySelectorAll(".report-here").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { useCell(b.dataset.cell); location.hash = "#report"; });
  });
  var again = $("gps-again");
  if (navigator.geolocation) {
    again.hidden = false;
    again.addEventListener("click", locate);
  }
  window.addEventListener("hashchange", showTab);
  window.addEventListener("online", function () { showNet(); flush(); });
  window.addEventListener("offline", showNet);
  showTab();
  showNet();
  locate();
  render().then(flush);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/inspector" }).catch(function () {});
    // Say so when this is the copy kept for offline use: its tasks are
    // those of when it was kept.
    navigator.serviceWorker.addEventListener("message", function (ev) {
      var kept = ev.data && ev.data.kept, el = $("kept");
      if (!kept) return;
      el.textContent = el.dataset.text.replace("%s", kept === "?" ? "" : fmtTime(kept));
      el.hidden = false;
    });
    navigator.serviceWorker.startMessages();
    if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage("served?");
  }
})();
