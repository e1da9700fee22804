// Keeps the team's day readable without signal: the page, its script and style, and the audio.
// Pages: network first, the last good copy when offline. Audio and static files: cache first.
// Posts (outcomes) are never touched here; the page's script queues them.
var CACHE = "carnation-team-v1";

self.addEventListener("install", function (event) { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  var isAudio = /^\/team\/[^/]+\/audio\//.test(url.pathname);
  var isStatic = url.pathname.indexOf("/static/") === 0;
  var isPage = /^\/team\/[^/]+$/.test(url.pathname) && url.pathname !== "/team/sw.js";
  if (isAudio) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(req, { ignoreVary: true }).then(function (hit) {
        if (hit) return hit;
        return fetch(req).then(function (res) { if (res.ok && res.status === 200) cache.put(req, res.clone()); return res; });
      });
    }));
  } else if (isPage || isStatic) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return fetch(req).then(function (res) {
        if (res.ok) cache.put(req, res.clone());
        return res;
      }).catch(function () {
        return cache.match(req, { ignoreSearch: isPage }).then(function (hit) {
          return hit || new Response("没有信号，也没有保存过这一页。", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
        });
      });
    }));
  }
});
