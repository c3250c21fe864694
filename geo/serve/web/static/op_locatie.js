/* Wnb-besluiten op locatie: asks the OGC API Process wnb-op-locatie and draws the answer with Leaflet: numbered
   markers that match the numbered list (besluitenlijst.js), legend, metric scale bar, data date, the
   voorbeelddata banner naming the generated sources, and the sources as the answer states them.
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
  var NATURA2000 = "#238b45", BRON = "#6a3d9a", LOCATIE = "#1a5fb4";
  var fmt = Besluitenlijst.number;

  var map = L.map("kaart", { zoomControl: true, zoomSnap: 0.25 }).setView([52.79, 4.8], 11);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap-bijdragers"
  }).addTo(map);
  L.control.scale({ metric: true, imperial: false, position: "bottomright" }).addTo(map);
  var data = L.layerGroup().addTo(map);
  var control = L.control.layers(null, null, { collapsed: true }).addTo(map);
  var overlays = [];
  var shown = null;  // the bounds of the answer drawn, fitted again for paper

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

  function overlay(name, l) {
    l.addTo(data);
    control.addOverlay(l, name);
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
    overlay("Natura 2000-gebieden (" + fc.natura2000_gebied.features.length + ")", L.geoJSON(fc.natura2000_gebied, {
      style: { color: NATURA2000, fillColor: NATURA2000, weight: 1, fillOpacity: 0.25 },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.nr + " " + f.properties.naam); }
    }));
    var circle = L.circle(centre, { radius: radius, color: "#333", weight: 1.5, fill: false, dashArray: "6 4",
                                    interactive: false });
    circle.addTo(data);
    overlay("Stikstofbronnen (" + fc.stikstofbron.features.length + ")", L.geoJSON(fc.stikstofbron, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 4, color: "#222", weight: 1, fillColor: BRON, fillOpacity: 0.9 });
      },
      onEachFeature: function (f, l) {
        var p = f.properties;
        l.bindTooltip("stikstofbron " + p.vthobject_id + ": " + p.bedrijfstype + ", NH3 " + fmt(p.nh3_emissie, 0) +
                      " kg/jr, " + fmt(p.afstand_m, 0) + " m");
      }
    }));
    var besluiten = overlay("Wnb-besluiten (" + fc.features.length + ")", L.layerGroup());
    var places = overlay("Wnb-besluiten op één plek", L.layerGroup());
    L.circleMarker(centre, { radius: 9, color: LOCATIE, weight: 3, fillColor: "#fff", fillOpacity: 1 })
      .bindTooltip(fc.locatie.properties.label).addTo(data);
    list(fc);
    Besluitenlijst.draw({ map: map, group: besluiten, places: places, list: el("besluiten"),
                          features: fc.features, colours: COLOURS });
    // the list beside the map has just appeared and narrowed it: let Leaflet measure again before framing
    shown = circle.getBounds();
    map.invalidateSize(false);
    map.fitBounds(shown, { padding: [10, 10], animate: false });
    about(fc);
    document.body.dataset.besluiten = String(fc.features.length);
    document.body.dataset.features = String(fc.features.length + fc.stikstofbron.features.length +
                                            fc.natura2000_gebied.features.length);
    el("afdrukken").disabled = false;
    setState("klaar", fc.features.length + " Wnb-besluiten binnen " + fmt(radius, 0) + " m van " +
             fc.locatie.properties.label);
  }

  function swatch(colour, kind) {
    var dot = document.createElement("span");
    dot.className = "swatch" + (kind ? " " + kind : "");
    dot.style.background = colour;
    return dot;
  }

  function item(into, colour, label, kind) {
    var li = document.createElement("li");
    li.appendChild(swatch(colour, kind));
    li.appendChild(document.createTextNode(label));
    into.appendChild(li);
  }

  function list(fc) {
    el("resultaat").hidden = false;
    el("titel").textContent = "Wnb-besluiten binnen " + fmt(fc.straal_m, 0) + " m van " + fc.locatie.properties.label;
    var summary = el("samenvatting"), areas = el("natura2000");
    [summary, areas].forEach(function (node) { node.replaceChildren(); });
    Object.keys(fc.samenvatting).forEach(function (type) {
      item(summary, COLOURS[type] || "#777", type + ": " + fmt(fc.samenvatting[type], 0));
    });
    if (!fc.features.length) { summary.appendChild(text("li", "Geen Wnb-besluiten binnen de straal.")); }
    fc.natura2000_gebied.features.forEach(function (f) {
      var p = f.properties;
      areas.appendChild(text("li", p.nr + " " + p.naam + (p.stikstofgevoelig === false ? " (niet stikstofgevoelig)" : "") +
        ": " + (p.afstand_m === 0 ? "de locatie ligt erin" : fmt(p.afstand_m, 0) + " m")));
    });
    legend();
  }

  var Legend = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd: function () {
      var box = L.DomUtil.create("details", "legenda");
      box.id = "legenda";
      box.open = !window.matchMedia("(max-width: 700px)").matches;  // a phone shows the map, not the legend
      box.appendChild(text("summary", "Legenda"));
      var into = box.appendChild(document.createElement("ul"));
      Object.keys(COLOURS).forEach(function (type) { item(into, COLOURS[type], type); });
      item(into, "#222", "cijfer: nummer in de lijst; zwart: aantal op één plek");
      item(into, BRON, "stikstofbron");
      item(into, NATURA2000, "Natura 2000-gebied", "vlak");
      item(into, LOCATIE, "gezochte locatie", "rand");
      item(into, "transparent", "straal", "lijn");
      L.DomEvent.disableClickPropagation(box);
      return box;
    }
  });
  var legendControl = null;

  function legend() {
    if (!legendControl) { legendControl = new Legend().addTo(map); }
  }

  function about(fc) {
    var banner = el("voorbeelddata");
    banner.replaceChildren();
    banner.hidden = !fc.voorbeelddata;
    if (fc.voorbeelddata) {
      var parts = fc.voorbeelddata.split(": ");
      banner.appendChild(text("b", parts.shift()));
      banner.appendChild(document.createTextNode(": " + parts.join(": ")));
    }
    el("gegevensdatum").textContent = "Gegevensdatum: " + (Besluitenlijst.date(fc.gegevensdatum) || "onbekend") +
      " (laatste opbouw van de gegevens op deze server).";
    el("bronnen").textContent = "Bronnen: " + (fc.bronnen || []).map(function (b) {
      return b.titel + ": " + b.herkomst;
    }).join("; ") + ".";
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
      setState("fout", "Vul een adres in: postcode en huisnummer (1741 EA 12) of straat, huisnummer en plaats.");
      return;
    }
    ask({ adres: adres });
  });

  el("afdrukken").addEventListener("click", function () { window.print(); });
  // the map's size differs on paper: let Leaflet redraw for it, and back
  window.matchMedia("print").addEventListener("change", function (event) {
    if (event.matches && el("legenda")) { el("legenda").open = true; }
    map.invalidateSize(false);
    if (shown) { map.fitBounds(shown, { padding: [10, 10], animate: false }); }
  });
}());
