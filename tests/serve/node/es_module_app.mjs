// An app that imports twilio as an ES module: run with the README's preload,
//   TWIMLSIM_URL=... node --require ./twimlsim-preload.cjs es_module_app.mjs
// it reaches twimlsim serve. Prints one JSON object.
//
// Usage: TWIMLSIM='<the JSON line serve printed>' TWIMLSIM_URL=<its url> node ...
import { createRequire } from "node:module";
import twilio from "twilio";

const banner = JSON.parse(process.env.TWIMLSIM);
const { version } = createRequire(import.meta.url)("twilio/package.json");

const client = twilio(banner.account_sid, banner.auth_token);
const call = await client.calls.create({
  to: "+15558675310",
  from: banner.numbers[0],
  twiml: "<Response><Say>Your table is ready.</Say></Response>",
});
console.log(JSON.stringify({ sid: call.sid, created: call.status, version }));
