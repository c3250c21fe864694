/* Numbered Wnb-besluiten: one numbered marker per decision on a Leaflet map and the same number in a list
   beside it. Clicking a marker highlights its list entry; clicking an entry highlights its marker and opens
   its popup. Decisions at one place (a farm with several decisions) are spread around that place, with a
   badge giving their count. Used by the page /op-locatie/ and by the offline map of `geo op-locatie`, so
   both behave the same. Server values go into the page as text, never as HTML; links only for http(s).

   Besluitenlijst.draw({map, group, places, list, features, colours}) -> {select(n)}
     group, places: L.LayerGroup for the numbered markers and for the count badges
     features: GeoJSON features in list order (number = position + 1), properties as the process answers */
(function () {
  "use strict";

  var SIZE = 24;

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }

  function number(value, digits) {
    if (value === null || value === undefined || value === "") { return "-"; }
    return Number(value).toLocaleString("nl-NL", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  var MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                "oktober", "november", "december"];

  function date(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? Number(m[3]) + " " + MONTHS[Number(m[2]) - 1] + " " + m[1] : "";
  }

  function link(url) {
    if (!/^https?:\/\//i.test(url || "")) { return text("span", "geen publicatie bekend", "geen-link"); }
    var a = text("a", "gepubliceerd besluit");
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function lines(p) {
    var when = p.besluitdatum ? "besluit " + date(p.besluitdatum) : "nog geen besluit";
    return [
      [p.zaaknummer + " — " + p.besluittype + ", " + when, "kop"],
      [p.activiteit, "activiteit"],
      ["Natura 2000: " + (p.natura2000_gebieden || "geen gebied genoemd"), "natura2000"],
      ["AERIUS max " + number(p.max_depositie_mol_ha_jr, 2) + " mol N/ha/jr · afstand " +
       number(p.afstand_m, 0) + " m", "maat"]
    ];
  }

  function details(p, into) {
    lines(p).forEach(function (line) { into.appendChild(text("div", line[0], line[1])); });
    var publication = text("div", "", "publicatie");
    publication.appendChild(link(p.publicatie_url));
    into.appendChild(publication);
    return into;
  }

  function badge(n, colour) {
    return '<span class="besluit-nr" data-nr="' + n + '" style="background:' + colour + '">' + n + "</span>";
  }

  // pixel offsets that spread k markers around their shared place (none for a place of its own)
  function spread(k) {
    var out = [];
    var radius = k > 1 ? 14 + 3 * k : 0;
    for (var i = 0; i < k; i++) {
      var angle = 2 * Math.PI * i / k - Math.PI / 2;
      out.push([Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle))]);
    }
    return out;
  }

  function byPlace(features) {
    var places = {}, order = [];
    features.forEach(function (f, i) {
      var c = f.geometry.coordinates, key = c[0].toFixed(6) + "," + c[1].toFixed(6);
      if (!places[key]) { places[key] = []; order.push(key); }
      places[key].push(i);
    });
    return order.map(function (key) { return places[key]; });
  }

  function draw(o) {
    var markers = [], items = [];
    o.list.replaceChildren();
    o.features.forEach(function (f, i) {
      var n = i + 1, p = f.properties, li = document.createElement("li");
      li.dataset.nr = String(n);
      li.tabIndex = 0;
      li.appendChild(text("span", String(n), "nr"));
      li.lastChild.style.background = o.colours[p.besluittype] || "#777";
      details(p, li.appendChild(document.createElement("div")));
      li.addEventListener("click", function (event) {
        if (event.target.tagName !== "A") { select(n, true); }
      });
      li.addEventListener("keydown", function (event) { if (event.key === "Enter") { select(n, true); } });
      o.list.appendChild(li);
      items.push(li);
    });
    byPlace(o.features).forEach(function (indices) {
      var offsets = spread(indices.length), c = o.features[indices[0]].geometry.coordinates;
      indices.forEach(function (i, k) {
        var n = i + 1, p = o.features[i].properties;
        var icon = L.divIcon({ className: "besluit-marker", html: badge(n, o.colours[p.besluittype] || "#777"),
                               iconSize: [SIZE, SIZE],
                               iconAnchor: [SIZE / 2 - offsets[k][0], SIZE / 2 - offsets[k][1]] });
        var marker = L.marker([c[1], c[0]], { icon: icon, title: "besluit " + n + ": " + p.zaaknummer,
                                              riseOnHover: true });
        marker.bindPopup(details(p, text("div", "", "besluit-popup")), { maxWidth: 360,
                                                                      offset: [offsets[k][0], offsets[k][1] - 6] });
        marker.on("click", function () { select(n, false); });
        marker.addTo(o.group);
        markers[i] = marker;
      });
      if (indices.length > 1) { place(o.places, c, indices, o.features); }
    });

    function select(n, fromList) {
      items.forEach(function (li) { li.classList.toggle("actief", li.dataset.nr === String(n)); });
      markers.forEach(function (m, i) {
        var el = m.getElement();
        if (el) { el.classList.toggle("actief", i + 1 === n); }
        if (i + 1 === n) { m.setZIndexOffset(1000); } else { m.setZIndexOffset(0); }
      });
      if (fromList) {
        markers[n - 1].openPopup();
      } else {
        items[n - 1].scrollIntoView({ block: "nearest" });
      }
    }
    return { select: select, markers: markers, items: items };
  }

  function place(group, c, indices, features) {
    var list = document.createElement("div");
    list.appendChild(text("strong", indices.length + " besluiten op deze plek"));
    var ul = list.appendChild(document.createElement("ul"));
    indices.forEach(function (i) {
      var p = features[i].properties;
      ul.appendChild(text("li", (i + 1) + ". " + p.zaaknummer + " — " + p.besluittype));
    });
    L.marker([c[1], c[0]], {
      icon: L.divIcon({ className: "aantal", html: '<div class="zelfde-plek">' + indices.length + "</div>",
                        iconSize: [20, 20], iconAnchor: [10, 10] }),
      title: indices.length + " besluiten op deze plek", zIndexOffset: -100
    }).bindPopup(list, { maxWidth: 360 }).addTo(group);
  }

  window.Besluitenlijst = { draw: draw, number: number, date: date };
}());
