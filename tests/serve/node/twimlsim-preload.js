// twimlsim-preload.js: node --require ./twimlsim-preload.js app.js
// Sends the REST requests of every twilio-node client the app makes to twimlsim serve.
const Module = require("node:module");
const TWIMLSIM_URL = process.env.TWIMLSIM_URL; // read once: some runners replace process.env
const load = Module._load;
Module._load = function (request, ...rest) {
  const exported = load.call(this, request, ...rest);
  const RequestClient = request === "twilio" && exported.RequestClient;
  if (RequestClient && !RequestClient.prototype.toTwimlsim) {
    const send = RequestClient.prototype.request;
    RequestClient.prototype.toTwimlsim = true;
    RequestClient.prototype.request = function (opts) {
      const uri = opts.uri.replace("https://api.twilio.com", TWIMLSIM_URL);
      return send.call(this, { ...opts, uri });
    };
  }
  return exported;
};
