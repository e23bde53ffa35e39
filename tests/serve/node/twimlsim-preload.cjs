// twimlsim-preload.cjs: node --require ./twimlsim-preload.cjs app.js
// Sends the REST requests of every twilio-node client the app makes to twimlsim serve.
const Module = require("node:module");
const path = require("node:path");
const TWIMLSIM_URL = process.env.TWIMLSIM_URL; // read once: some runners replace process.env
const REQUEST_CLIENT = path.join("twilio", "lib", "base", "RequestClient.js");
const CLIENT_2 = path.join("twilio", "lib", "Client.js");
const compile = Module.prototype._compile;
// every CommonJS module, required or imported, and under a loader that compiles its own
// (tsx, ts-node) too, is compiled here: its exports are patched once they are made
Module.prototype._compile = function (content, filename, ...rest) {
  const result = compile.call(this, content, filename, ...rest);
  // twilio-node 3 to 6 send every request through this class
  if (filename.endsWith(REQUEST_CLIENT)) {
    const send = this.exports.prototype.request;
    this.exports.prototype.request = function (opts) {
      const uri = opts.uri.replace("https://api.twilio.com", TWIMLSIM_URL);
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
