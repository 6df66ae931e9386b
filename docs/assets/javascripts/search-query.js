/* Question-style queries for Material's search (loaded before Material's bundle).

   Material's search appends "*" to every query word, so each is matched as a prefix and skips
   lunr's stop-word filter: "in" then matches "infusion", "inflammatory" and "introduction", "do"
   matches "dose", "I" every word starting with i, and a question such as "how do I convert IVIG
   to SCIG?" ranks the Dosing page first. This wraps the Worker that Material starts for search
   (the browser's own, or the iframe-worker shim under file://) and, in each query it sends,
   drops lunr's own English stop words, the words lunr drops from any query without "*". A query
   made only of stop words (someone still typing "in" on the way to "infusion") is sent as it is.
   Material 9.8.2 sends a query as { type: 2, data: "text" }; other messages pass untouched.

   The search index (about 95 KB of the 190 KB a cold chapter load sent) is fetched on first
   use of search, not with every page: Material requests search/search_index.json with an
   XMLHttpRequest as the page starts, and that one request is held until the search box is
   focused or opened. Under file:// Material loads search_index.js instead, which stays as it is
   (a local file costs nothing). */
(function () {
  "use strict";
  deferSearchIndex();
  var Base = window.Worker;
  if (typeof Base !== "function") return;
  var QUERY = 2;
  // lunr 2.3.9, lunr.stopWordFilter (MIT licence)
  var STOP = ("a able about across after all almost also am among an and any are as at be because " +
    "been but by can cannot could dear did do does either else ever every for from get got had has " +
    "have he her hers him his how however i if in into is it its just least let like likely may me " +
    "might most must my neither no nor not of off often on only or other our own rather said say " +
    "says she should since so some than that the their them then there these they this tis to too " +
    "twas us wants was we were what when where which while who whom why will with would yet you " +
    "your").split(" ");
  var stop = Object.create(null);
  STOP.forEach(function (word) { stop[word] = true; });

  function content(query) {
    var words = query.split(/\s+/).filter(Boolean);
    var kept = words.filter(function (word) {
      var bare = word.toLowerCase().replace(/^[("'\u201c\u2018]+|[)"'\u201d\u2019?!.,;:]+$/g, "");
      return !stop[bare];
    });
    return kept.length ? kept.join(" ") : query;
  }

  function SearchWorker(url, options) {
    var worker = options === undefined ? new Base(url) : new Base(url, options);
    var post = worker.postMessage;
    worker.postMessage = function (message) {
      var args = Array.prototype.slice.call(arguments);
      if (message && message.type === QUERY && typeof message.data === "string") {
        args[0] = { type: QUERY, data: content(message.data) };
      }
      return post.apply(worker, args);
    };
    return worker;
  }
  SearchWorker.prototype = Base.prototype;
  window.Worker = SearchWorker;
  window.guideSearchQuery = content; // for tests

  function deferSearchIndex() {
    var XHR = window.XMLHttpRequest;
    if (typeof XHR !== "function") return;
    var open = XHR.prototype.open, send = XHR.prototype.send, used = false, held = [];
    function use() {
      if (used) return;
      used = true;
      held.splice(0).forEach(function (start) { start(); });
    }
    document.addEventListener("focusin", function (event) {
      if (event.target && event.target.classList && event.target.classList.contains("md-search__input")) use();
    }, true);
    document.addEventListener("change", function (event) {
      if (event.target && event.target.id === "__search") use();
    }, true);
    XHR.prototype.open = function (method, url) {
      this.guideSearchIndex = /\/search\/search_index\.json([?#]|$)/.test(String(url));
      return open.apply(this, arguments);
    };
    XHR.prototype.send = function () {
      if (this.guideSearchIndex && !used) {
        var request = this, args = arguments;
        held.push(function () { send.apply(request, args); });
        return undefined;
      }
      return send.apply(this, arguments);
    };
  }
})();
