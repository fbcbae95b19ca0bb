/* bayyina upload page: send the chosen files with XMLHttpRequest (upload progress bar), then list what the
   server did with each file (stored, duplicate, refused and why). Without JavaScript the form posts to /upload. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  var out = document.getElementById("upload-result");
  var L = document.getElementById("upload-labels").dataset;

  function cell(tr, text, dir) {
    var td = document.createElement("td");
    if (dir) { td.dir = dir; }
    if (text instanceof Node) { td.appendChild(text); } else { td.textContent = text == null ? "" : String(text); }
    tr.appendChild(td);
  }
  function link(href, text) {
    var a = document.createElement("a");
    a.href = href; a.textContent = String(text);
    return a;
  }
  function links(label, ids) {
    if (!ids || !ids.length) { return null; }
    var p = document.createElement("p");
    p.appendChild(document.createTextNode(label + ": "));
    ids.forEach(function (id, i) {
      if (i) { p.appendChild(document.createTextNode(", ")); }
      p.appendChild(link("/incidents/" + id, id));
    });
    return p;
  }
  function show(res) {
    out.textContent = "";
    var h = document.createElement("h2");
    h.textContent = L.title;
    out.appendChild(h);
    var table = document.createElement("table");
    table.className = "upload-result";
    var head = document.createElement("tr");
    [L.hFile, L.hStatus, L.hDocument, L.hIncidents, L.hWhy].forEach(function (x) {
      var th = document.createElement("th"); th.textContent = x; head.appendChild(th);
    });
    var thead = document.createElement("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = document.createElement("tbody");
    res.files.forEach(function (f) {
      var tr = document.createElement("tr");
      tr.className = "result-" + f.status;
      cell(tr, f.file, "auto");
      cell(tr, L[f.status] || f.status);
      cell(tr, f.document_id ? link("/documents/" + f.document_id, f.document_id) : "—");
      cell(tr, f.incidents == null ? "—" : f.incidents);
      cell(tr, f.reason || "", "auto");
      body.appendChild(tr);
    });
    table.appendChild(body);
    out.appendChild(table);
    [links(L.created, res.incidents_created), links(L.changed, res.incidents_changed)].forEach(function (p) {
      if (p) { out.appendChild(p); }
    });
  }
  function problem(text) {
    out.textContent = "";
    var p = document.createElement("p");
    p.className = "notice"; p.setAttribute("role", "alert"); p.dir = "auto";
    p.textContent = text;
    out.appendChild(p);
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var input = form.querySelector("input[type=file]");
    var max = parseInt(form.dataset.maxBytes, 10);
    var big = Array.prototype.filter.call(input.files, function (f) { return f.size > max; });
    if (big.length) {
      problem(form.dataset.labelTooBig + " (" + form.dataset.maxLabel + "): " +
              big.map(function (f) { return f.name; }).join(", "));
      return;
    }
    var data = new FormData(form);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.api);
    xhr.setRequestHeader("Accept", "application/json");
    var token = form.querySelector("input[name=csrf_token]");
    if (token && token.value) { xhr.setRequestHeader("X-CSRF-Token", token.value); }
    bar.hidden = false; bar.value = 0;
    status.textContent = form.dataset.labelSending;
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
    });
    xhr.upload.addEventListener("load", function () {
      bar.value = 100; status.textContent = form.dataset.labelStoring;
    });
    xhr.addEventListener("load", function () {
      var res = null;
      try { res = JSON.parse(xhr.responseText); } catch (e) { res = null; }
      status.textContent = "";
      if (res && res.files) { show(res); }
      else {
        var d = res && res.detail;
        problem(xhr.status + ": " + (typeof d === "string" ? d : JSON.stringify(d || xhr.statusText)));
      }
      form.dataset.done = String(xhr.status);
    });
    xhr.addEventListener("error", function () {
      status.textContent = ""; problem(form.dataset.labelFailed); form.dataset.done = "error";
    });
    xhr.send(data);
  });
})();
