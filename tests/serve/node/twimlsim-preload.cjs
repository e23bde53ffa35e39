// twimlsim-preload.cjs: node --require ./twimlsim-preload.cjs app.js
// Sends the app's REST requests (every twilio-node client's, its own) to twimlsim serve.
const Module = require("node:module");
const path = require("node:path");
const TWIMLSIM_URL = process.env.TWIMLSIM_URL; // read once: some runners replace process.env
const REQUEST_CLIENT = path.join("twilio", "lib", "base", "RequestClient.js");
const CLIENT_2 = path.join("twilio", "lib", "Client.js");
// api.twilio.com, lookups.twilio.com and their edge and region hosts (api.sydney.us1...)
const TWILIO_HOST = /^https:\/\/(api|lookups)(\.[\w-]+)*\.twilio\.com(?=[:/]|$)/;
const compile = Module.prototype._compile;
// every CommonJS module, required or imported, and under a loader that compiles its own
// (tsx, ts-node) too, is compiled here: its exports are patched once they are made
Module.prototype._compile = function (content, filename, ...rest) {
  const result = compile.call(this, content, filename, ...rest);
  // twilio-node 3 to 6 send every request through this class (Lookup's too)
  if (filename.endsWith(REQUEST_CLIENT)) {
    const send = this.exports.prototype.request;
    this.exports.prototype.request = function (opts) {
      const uri = opts.uri.replace(TWILIO_HOST, TWIMLSIM_URL);
      return send.call(this, { ...opts, uri });
    };
  }
  // twilio-node 2 prefixes every path with https://SID:TOKEN@api.twilio.com/2010-04-01
  if (filename.endsWith(CLIENT_2)) {
    const baseUrl = this.exports.prototype.getBaseUrl;
    this.exports.prototype.getBaseUrl = function () {
      return baseUrl.call(this).replace(/^https:\/\/([^@]*@)api\.twilio\.com/, (_, auth) =>
        TWIMLSIM_URL.replace("://", `://${auth}`));
    };
  }
  return result;
};
// the app's own requests to the API (no helper library): fetch, and https.request, which
// axios, node-fetch and got send theirs through
const HOSTS = ["api.twilio.com", "lookups.twilio.com"];
const local = (url) => url.replace(/^https:\/\/(api|lookups)\.twilio\.com\//, `${TWIMLSIM_URL}/`);
const fetch = globalThis.fetch;
if (fetch) {
  globalThis.fetch = function (input, init) {
    if (input instanceof Request) {
      return fetch(local(input.url) === input.url ? input : new Request(local(input.url), input), init);
    }
    return fetch(local(String(input)), init);
  };
}
const http = require("node:http");
const https = require("node:https");
const { urlToHttpOptions } = require("node:url");
for (const name of ["request", "get"]) {
  const send = https[name];
  https[name] = function (...args) {
    let [url, options, callback] = args;
    if (typeof url === "string" || url instanceof URL) {
      if (typeof options === "function") [options, callback] = [{}, options];
      options = { ...urlToHttpOptions(new URL(url)), ...options };
    } else [options, callback] = [url, options];
    if (!HOSTS.includes(options.hostname || options.host)) return send.apply(this, args);
    const { hostname, port } = new URL(TWIMLSIM_URL);
    const to = { ...options, protocol: "http:", host: hostname, hostname, port, agent: undefined };
    return http[name](to, callback);
  };
}
