// The command centre's dashboard refreshes itself: it polls
// GET /api/v1/dashboard (the snapshot the server rendered the page from)
// and updates the numbers and the overdue list in place. Without
// scripts the page refreshes itself once a minute (a <noscript> meta).
"use strict";

(function () {
  var root = document.getElementById("dash");
  if (!root || !window.fetch) return;
  var every = Math.max(2, parseInt(root.dataset.every, 10) || 15) * 1000;
  var en = document.documentElement.lang === "en";
  var last = "";
  var timer = 0;
  var failures = 0;

  function text(t) {
    if (!t) return "";
    return en && t.en ? t.en : t.zh || "";
  }

  // set writes value into the element keyed key, marking a change, and
  // reports whether there was one.
  function set(key, value) {
    var el = root.querySelector('[data-k="' + key + '"]');
    value = String(value);
    if (!el || el.textContent === value) return false;
    el.textContent = value;
    el.classList.remove("changed");
    void el.offsetWidth; // restart the highlight
    el.classList.add("changed");
    return true;
  }

  function rate(v) {
    return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%";
  }

  // late says how long ago a deadline passed, as the server's Late does.
  function late(min) {
    var f = "lateMin", n = Math.max(min, 0);
    if (min >= 48 * 60) {
      f = "lateDay";
      n = Math.floor(min / (24 * 60));
    } else if (min >= 60) {
      f = "lateHour";
      n = Math.floor(min / 60);
    }
    return root.dataset[f].replace("%d", n);
  }

  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content) e.textContent = content;
    return e;
  }

  function overdueItem(o) {
    var li = el("li");
    var a = el("a", "", o.number);
    a.href = "/cases/" + o.id;
    li.append(a, " ", el("span", "what", text(o.category)), " ");
    var where = o.place;
    if (text(o.unit)) where += " · " + text(o.unit);
    li.append(el("span", "sub", where + " · " + text(o.status)), " ");
    var light = el("span", "light red");
    var dot = el("span", "dot");
    dot.setAttribute("aria-hidden", "true");
    light.append(dot, late(o.late_minutes));
    li.append(light);
    return li;
  }

  // stamp shows when the snapshot was taken.
  function stamp(when) {
    var at = root.querySelector('[data-k="at"]');
    at.setAttribute("datetime", when);
    at.textContent = when.slice(0, 16).replace("T", " ");
  }

  // announce tells screen readers, politely, that the numbers changed:
  // only then, not at every poll.
  function announce(h) {
    var news = document.getElementById("dash-news");
    var n = [h.intake_today, h.open, h.overdue];
    news.textContent = news.dataset.news.replace(/%d/g, function () { return n.shift(); });
  }

  function render(d) {
    stamp(d.at);
    var h = d.headline, changed = false;
    ["intake_today", "open", "yellow", "overdue", "closed_month"].forEach(function (k) { changed = set(k, h[k]) || changed; });
    if (changed) announce(h);
    var top = 1;
    d.intake.forEach(function (i) { top = Math.max(top, i.count); });
    d.intake.forEach(function (i) {
      set("intake-" + i.source, i.count);
      var m = root.querySelector('[data-m="intake-' + i.source + '"]');
      if (m) {
        m.max = top;
        m.value = i.count;
      }
    });
    d.stages.forEach(function (s) {
      ["green", "yellow", "red", "none", "total"].forEach(function (k) { set("stage-" + s.status + "-" + k, s[k]); });
      root.querySelector('[data-k="stage-' + s.status + '-red"]').classList.toggle("red", s.red > 0);
    });
    d.rates.forEach(function (r) { set("rate-" + r.code, rate(r.value)); });
    set("closing-median", text(d.closing.median));
    set("closing-p90", text(d.closing.p90));
    var list = document.getElementById("dash-overdue-list");
    list.replaceChildren.apply(list, d.overdue.map(overdueItem));
    document.getElementById("dash-overdue-empty").hidden = d.overdue.length > 0;
  }

  function poll() {
    clearTimeout(timer);
    fetch("/api/v1/dashboard", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 401) location.reload(); // signed out: the page sends to sign-in
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.text();
      })
      .then(function (body) {
        failures = 0;
        root.classList.remove("stale");
        root.querySelector(".dash-stale").hidden = true;
        var d = JSON.parse(body);
        var at = d.at;
        d.at = "";
        var data = JSON.stringify(d);
        d.at = at;
        if (data !== last) {
          last = data;
          render(d);
        } else {
          stamp(at);
        }
      })
      .catch(function () {
        failures++;
        root.classList.add("stale");
        root.querySelector(".dash-stale").hidden = false;
      })
      .finally(schedule);
  }

  // schedule polls again after the interval (longer after failures), and
  // not at all while the page is hidden.
  function schedule() {
    clearTimeout(timer);
    if (document.hidden) return;
    timer = setTimeout(poll, every * Math.min(failures + 1, 4));
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) clearTimeout(timer);
    else poll();
  });
  root.querySelector(".dash-live").hidden = false;
  schedule();
})();
