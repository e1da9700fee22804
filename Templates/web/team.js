// The team page's only script: keeps the page and its audio for offline use (service worker) and queues
// outcomes in localStorage until the server has them. Each queued outcome carries a key made on the phone;
// the server records a key once, so a retry after a lost answer is never counted twice.
(function () {
  "use strict";
  var QUEUE = "carnation-outcomes";
  var status = document.getElementById("net-status");

  function newKey() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += ("0" + bytes[i].toString(16)).slice(-2);
    return s;
  }
  function load() { try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; } }
  function save(q) { localStorage.setItem(QUEUE, JSON.stringify(q)); }
  function show() {
    var n = load().length;
    if (status) status.textContent = n ? ("有 " + n + " 条结果还没上传，有信号时会自动上传。") : (navigator.onLine ? "" : "现在没有信号，名单和录音仍可查看。");
  }
  function mark(visit, text) {
    var form = document.querySelector('form.outcome[data-visit="' + visit + '"]');
    if (form) form.querySelector(".saved").textContent = text;
  }

  var sending = false;
  function flush() {
    if (sending) return;
    var q = load();
    if (!q.length) { show(); return; }
    sending = true;
    var item = q[0];
    fetch(item.action, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" },
      body: item.body
    }).then(function (r) {
      sending = false;
      if (r.status === 429 || r.status >= 500) { show(); return; }   // try again later
      var rest = load().filter(function (x) { return x.key !== item.key; });
      save(rest);
      mark(item.visit, r.ok ? "已上传 ✓" : "没有保存：请重新打开名单页再记一次");
      show();
      flush();
    }, function () { sending = false; show(); });                   // no signal: keep it
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form.outcome");
    for (var i = 0; i < forms.length; i++) {
      (function (form) {
        form.elements.key.value = newKey();
        form.addEventListener("change", function () { form.elements.key.value = newKey(); });
        form.addEventListener("submit", function (ev) {
          ev.preventDefault();
          var data = [];
          var fields = form.elements;
          for (var j = 0; j < fields.length; j++) {
            var f = fields[j];
            if (!f.name || ((f.type === "radio" || f.type === "checkbox") && !f.checked)) continue;
            data.push(encodeURIComponent(f.name) + "=" + encodeURIComponent(f.value));
          }
          var key = form.elements.key.value;
          var q = load();
          if (!q.some(function (x) { return x.key === key; })) {
            q.push({ key: key, visit: form.getAttribute("data-visit"), action: form.action, body: data.join("&") });
            save(q);
          }
          mark(form.getAttribute("data-visit"), "已保存在手机上，正在上传…");
          flush();
        });
      })(forms[i]);
    }
    // Fetch each recording once so the service worker keeps it for offline playing (only when a worker is
    // there to keep it: without one this would spend the team's data for nothing).
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      var audios = document.querySelectorAll("audio[src]");
      for (var k = 0; k < audios.length; k++) fetch(audios[k].getAttribute("src"), { credentials: "same-origin" }).catch(function () {});
    }
    show();
    flush();
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", show);
  setInterval(flush, 30000);
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/team/sw.js", { scope: "/team/" }).catch(function () {});
})();
