// civicgrid pages: small enhancements; every page works without them.
"use strict";

// The report form's grid map: a click or tap puts the pin there and fills
// in the latitude and longitude. The projection comes from the SVG's data
// attributes (x = (lon-minLon)·cos·k, y = (maxLat-lat)·k).
function setupReportMap() {
  var svg = document.querySelector("form.report svg.gridmap");
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  if (!svg || !lat || !lon) return;
  var d = svg.dataset;
  var minLon = parseFloat(d.minLon), maxLat = parseFloat(d.maxLat), cos = parseFloat(d.cos), k = parseFloat(d.k);
  var pin = svg.querySelector(".pin");
  svg.classList.add("pickable");
  svg.addEventListener("click", function (ev) {
    var pt = svg.createSVGPoint();
    pt.x = ev.clientX;
    pt.y = ev.clientY;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    lat.value = (maxLat - p.y / k).toFixed(6);
    lon.value = (minLon + p.x / (cos * k)).toFixed(6);
    pin.setAttribute("transform", "translate(" + p.x.toFixed(1) + " " + p.y.toFixed(1) + ")");
    pin.classList.remove("none");
  });
}

// "Use my location" fills the coordinates from the device, where it can.
function setupLocate() {
  var btn = document.getElementById("locate");
  if (!btn || !navigator.geolocation) return;
  btn.hidden = false;
  btn.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("lon").value = pos.coords.longitude.toFixed(6);
      btn.form.requestSubmit(btn.form.querySelector("[formmethod=get]"));
    });
  });
}

// A page that comes back with a problem puts the keyboard on the first
// field that has one.
function focusProblem() {
  var bad = document.querySelector("[aria-invalid=true]");
  if (bad) {
    bad.focus();
    return;
  }
  var alert = document.querySelector("form .err[role=alert]");
  if (alert) {
    var field = alert.closest("form").querySelector("textarea, select, input:not([type=hidden])");
    if (field) field.focus();
  }
}

document.addEventListener("DOMContentLoaded", function () {
  setupReportMap();
  setupLocate();
  focusProblem();
});
