/* bayyina map page: incidents as points on the bundled outline of Syria and its neighbours (Leaflet).
   Data attributes of #map: data-points (GeoJSON of the filtered incidents), data-outline (the bundled
   outline), data-tile-url (an optional tile layer, BAYYINA_TILE_URL). Clicking a point opens its incident. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  var status = document.getElementById("map-status");
  if (!el || !window.L) { return; }
  var lang = el.dataset.lang || document.documentElement.lang || "ar";
  var colours = { "confirmed": "#1d7a34", "corroborated": "#1f5fa8", "single-source": "#b05a00", "disputed": "#a4161a" };
  var map = L.map(el, { zoomSnap: 0.5, attributionControl: true }).setView([35.0, 38.5], 6);
  map.attributionControl.setPrefix(false);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  } else {
    map.attributionControl.addAttribution("Natural Earth");
  }
  var outlineDone = fetch(el.dataset.outline).then(function (r) { return r.json(); }).then(function (g) {
    var layer = L.geoJSON(g, {
      interactive: false,
      style: function (f) {
        var focus = f.properties && f.properties.focus;
        return { color: focus ? "#6b4a1f" : "#9a9184", weight: focus ? 1.6 : 0.8,
                 fillColor: focus ? "#f3e9d2" : "#ebe7de", fillOpacity: el.dataset.tileUrl ? 0.15 : 1 };
      }
    }).addTo(map);
    layer.bringToBack();
  });
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }
  function label(p) {
    var place = (lang === "ar" && p.place_ar) ? p.place_ar : (p.place || p.place_ar || "");
    var when = p.date_start || "";
    if (p.date_end && p.date_end !== p.date_start) { when += " – " + p.date_end; }
    return "<strong>" + esc(place) + "</strong> <span dir=\"ltr\">" + esc(when) + "</span><br>" +
      esc((p.agents || []).join(", ")) + (p.killed && p.killed !== "—" ? " · " + esc(el.dataset.labelKilled) + ": " + esc(p.killed) : "");
  }
  var pointsDone = fetch(el.dataset.points).then(function (r) {
    if (!r.ok) { throw new Error("HTTP " + r.status); }
    return r.json();
  }).then(function (fc) {
    var group = L.featureGroup();
    (fc.features || []).forEach(function (f) {
      var p = f.properties, c = f.geometry.coordinates;
      var m = L.circleMarker([c[1], c[0]], {
        radius: 8, weight: 2, color: "#fff", fillColor: colours[p.confidence] || "#555", fillOpacity: 0.9,
        className: "incident-point incident-" + p.id
      });
      m.bindTooltip(label(p), { direction: "top" });
      m.on("click", function () { window.location.href = p.url; });
      m.on("keypress", function () { window.location.href = p.url; });
      group.addLayer(m);
    });
    group.addTo(map);
    if (group.getLayers().length) {
      map.fitBounds(group.getBounds().pad(0.3), { maxZoom: 7 });
    }
    var n = group.getLayers().length, u = (fc.unplaced || []).length;
    el.dataset.count = String(n);
    if (status) {
      status.textContent = n + " " + (el.dataset.labelPoints || "") +
        (u ? " · " + u + " " + (el.dataset.labelUnplaced || "") : "");
    }
  });
  Promise.all([outlineDone, pointsDone]).then(function () {
    el.dataset.ready = "1";
  }).catch(function (e) {
    el.dataset.ready = "error";
    if (status) { status.textContent = String(e); }
  });
})();
