/* iframe-worker 1.0.4 (npm, MIT, Martin Donath; see LICENSE), adapted for this guide: the
 * original writes an inline <script> into its iframe, which the guide's Content-Security-Policy
 * (scripts only from files or by hash) would block. Here the parent sets up the iframe's
 * globals itself and loads the worker file with a <script src>; the behaviour is the same.
 * Used only from file://, where browsers refuse real Workers. */
"use strict";
(() => {
  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.url = url;
      const frame = document.createElement("iframe");
      frame.hidden = true;
      document.body.appendChild(this.iframe = frame);
      const w = this.w;
      const doc = w.document;
      // What the worker script expects of a worker's global scope. Its messages come straight
      // to this object, a task later, as a worker's would (window.postMessage from here would
      // carry the parent as its source, not the iframe).
      w.postMessage = data => {
        const copy = structuredClone(data);
        setTimeout(() => {
          const event = new MessageEvent("message", { data: copy });
          this.dispatchEvent(event);
          if (this.onmessage) this.onmessage(event);
        });
      };
      w.importScripts = (...urls) => urls.reduce((done, src) => done.then(() =>
        new Promise(resolve => {
          const script = doc.createElement("script");
          script.src = src;
          script.onload = resolve;
          doc.body.appendChild(script);
        })), Promise.resolve());
      w.addEventListener("error", ({ message, lineno, colno, error }) => {
        const event = new ErrorEvent("error", { message, filename: `${url}`, lineno, colno, error });
        this.dispatchEvent(event);
        if (this.onerror) this.onerror(event);
      });
      this.r = new Promise((resolve, reject) => {
        const script = doc.createElement("script");
        script.src = `${url}?${+Date.now()}`;
        script.onload = resolve;
        script.onerror = reject;
        doc.body.appendChild(script);
      });
    }

    terminate() {
      this.iframe.remove();
    }

    postMessage(data) {
      this.r.catch().then(() => {
        this.w.dispatchEvent(new MessageEvent("message", structuredClone({ data })));
      });
    }

    get w() {
      return this.iframe.contentWindow;
    }
  }

  window.IFrameWorker = IFrameWorker;
  if (location.protocol === "file:") window.Worker = IFrameWorker;
})();
