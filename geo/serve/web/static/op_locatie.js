/* Wnb-besluiten op locatie: asks the OGC API Process wnb-op-locatie and draws the answer with Leaflet.
   Values from the server are put in the page as text (never as HTML). The state of the page is in
   body[data-state] (leeg, bezig, klaar, fout) and, once drawn, body[data-besluiten] and
   body[data-features] (decisions, and all features on the map): tests and screen readers read them. */
(function () {
  "use strict";

  var PROCESS = new URL("../processes/wnb-op-locatie/execution", document.baseURI).href;
  var COLOURS = {
    "vergunning verleend": "#1a9850", "ontwerpbesluit": "#a6d96a", "aanvraag": "#4575b4",
    "geweigerd": "#d73027", "ingetrokken": "#7f7f7f", "buiten behandeling": "#bdbdbd"
  };
  var NATURA2000 = "#238b45", BRON = "#6a3d9a";

  var map = L.map("kaart", { zoomControl: true }).setView([52.79, 4.8], 11);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap-bijdragers"
  }).addTo(map);
  var data = L.layerGroup().addTo(map);
  var control = L.control.layers(null, null, { collapsed: true }).addTo(map);
  var overlays = [];

  function el(id) { return document.getElementById(id); }

  function setState(state, message) {
    document.body.dataset.state = state;
    el("status").textContent = message;
  }

  function text(tag, value) {
    var node = document.createElement(tag);
    node.textContent = value;
    return node;
  }

  function fmt(value, digits) {
    if (value === null || value === undefined) { return "-"; }
    return Number(value).toLocaleString("nl-NL", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  function ask(inputs) {
    inputs.straal_m = Number(el("straal").value);
    setState("bezig", "Bezig met zoeken…");
    return fetch(PROCESS, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ inputs: inputs })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok || answer.body.type !== "FeatureCollection") {
        var why = (answer.body && answer.body.description) || "onbekende fout";
        throw new Error(why.replace(/^Error executing process:\s*/, ""));
      }
      draw(answer.body);
    }).catch(function (err) {
      setState("fout", "Niet gelukt: " + err.message);
    });
  }

  function popup(props) {
    var box = document.createElement("div");
    box.appendChild(text("strong", props.zaaknummer + " — " + props.besluittype));
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(props.activiteit));
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode("besluitdatum " + (props.besluitdatum || "-") + "; AERIUS max " +
      fmt(props.max_depositie_mol_ha_jr, 2) + " mol N/ha/jr; afstand " + fmt(props.afstand_m, 0) + " m"));
    return box;
  }

  function layer(name, geojson, options) {
    var l = L.geoJSON(geojson, options);
    l.addTo(data);
    control.addOverlay(l, name + " (" + geojson.features.length + ")");
    overlays.push(l);
    return l;
  }

  function clear() {
    overlays.forEach(function (l) { control.removeLayer(l); });
    overlays = [];
    data.clearLayers();
  }

  function draw(fc) {
    clear();
    var where = fc.locatie.geometry.coordinates, radius = fc.straal_m;
    var centre = L.latLng(where[1], where[0]);
    layer("Natura 2000-gebieden", fc.natura2000_gebied, {
      style: { color: NATURA2000, fillColor: NATURA2000, weight: 1, fillOpacity: 0.25 },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.nr + " " + f.properties.naam); }
    });
    var circle = L.circle(centre, { radius: radius, color: "#333", weight: 1.5, fill: false, dashArray: "6 4" });
    circle.addTo(data);
    layer("Stikstofbronnen", fc.stikstofbron, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 4, color: "#222", weight: 1, fillColor: BRON, fillOpacity: 0.9 });
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindTooltip("stikstofbron " + p.vthobject_id + ": " + p.bedrijfstype + ", NH3 " + fmt(p.nh3_emissie, 0) +
                      " kg/jr, " + fmt(p.afstand_m, 0) + " m");
      }
    });
    layer("Wnb-besluiten", fc, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 8, color: "#222", weight: 1, fillOpacity: 0.9,
                                        fillColor: COLOURS[f.properties.besluittype] || "#777",
                                        className: "besluit" });
      },
      onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); }
    });
    L.circleMarker(centre, { radius: 9, color: "#1a5fb4", weight: 3, fillColor: "#fff", fillOpacity: 1 })
      .bindTooltip(fc.locatie.properties.label).addTo(data);
    map.fitBounds(circle.getBounds(), { padding: [10, 10] });
    list(fc);
    document.body.dataset.besluiten = String(fc.features.length);
    document.body.dataset.features = String(fc.features.length + fc.stikstofbron.features.length +
                                            fc.natura2000_gebied.features.length);
    setState("klaar", fc.features.length + " Wnb-besluiten binnen " + fmt(radius, 0) + " m van " +
             fc.locatie.properties.label);
  }

  function list(fc) {
    el("resultaat").hidden = false;
    el("titel").textContent = "Wnb-besluiten binnen " + fmt(fc.straal_m, 0) + " m van " + fc.locatie.properties.label;
    var summary = el("samenvatting"), items = el("besluiten"), areas = el("natura2000");
    [summary, items, areas].forEach(function (node) { node.replaceChildren(); });
    Object.keys(fc.samenvatting).forEach(function (type) {
      var li = document.createElement("li"), dot = document.createElement("span");
      dot.className = "swatch";
      dot.style.background = COLOURS[type] || "#777";
      li.appendChild(dot);
      li.appendChild(document.createTextNode(type + ": " + fc.samenvatting[type]));
      summary.appendChild(li);
    });
    fc.features.forEach(function (f) {
      var p = f.properties;
      items.appendChild(text("li", fmt(p.afstand_m, 0) + " m — " + p.zaaknummer + ", " + p.besluittype + " (" +
        (p.besluitdatum || "geen besluitdatum") + "): " + p.activiteit + "; AERIUS max " +
        fmt(p.max_depositie_mol_ha_jr, 2) + " mol N/ha/jr"));
    });
    if (!fc.features.length) { items.appendChild(text("li", "Geen Wnb-besluiten binnen de straal.")); }
    fc.natura2000_gebied.features.forEach(function (f) {
      var p = f.properties;
      areas.appendChild(text("li", p.nr + " " + p.naam + ": " + (p.afstand_m === 0 ? "u bent erin" :
        fmt(p.afstand_m, 0) + " m")));
    });
  }

  el("mijn-locatie").addEventListener("click", function () {
    if (!navigator.geolocation) {
      setState("fout", "Deze browser kan uw locatie niet bepalen; vul een adres in.");
      return;
    }
    setState("bezig", "Locatie bepalen…");
    navigator.geolocation.getCurrentPosition(function (pos) {
      ask({ x: pos.coords.longitude, y: pos.coords.latitude, crs: "EPSG:4326" });
    }, function (err) {
      setState("fout", "Uw locatie is niet beschikbaar (" + err.message + "); vul een adres in.");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });

  el("zoek").addEventListener("submit", function (event) {
    event.preventDefault();
    var adres = el("adres").value.trim();
    if (!adres) {
      setState("fout", "Vul een adres in: postcode en huisnummer, bijvoorbeeld 1741 EA 12.");
      return;
    }
    ask({ adres: adres });
  });
}());
