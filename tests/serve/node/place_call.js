// A Node app against `twimlsim serve`: the official twilio package places a call, a plain
// node:http server (no framework) answers the webhooks and checks their signatures, and the
// call's request log is read back through the control API. Prints one JSON object.
//
// Usage: TWIMLSIM='<the JSON line serve printed>' node place_call.js
"use strict";

const http = require("node:http");
const twilio = require("twilio");

const banner = JSON.parse(process.env.TWIMLSIM);
const CALLER_ID = banner.numbers[0];
const CALLEE = "+15558675310";

const TWIMLSIM_URL = banner.url;
const ACCOUNT_SID = banner.account_sid;
const AUTH_TOKEN = banner.auth_token;

// The README's lines (checked to be these by tests/serve/test_node.py): the Api domain's
// base URL, or an HTTP client that rewrites Twilio's host for every domain.
const client = twilio(ACCOUNT_SID, AUTH_TOKEN);
client.api.baseUrl = TWIMLSIM_URL;
client.lookups.baseUrl = TWIMLSIM_URL; // an app that looks numbers up

// api.twilio.com, lookups.twilio.com and their edge and region hosts (api.sydney.us1...)
const TWILIO_HOST = /^https:\/\/(api|lookups)(\.[\w-]+)*\.twilio\.com(?=[:/]|$)/;
class TwimlsimRequestClient extends twilio.RequestClient {
  request(opts) {
    const uri = opts.uri.replace(TWILIO_HOST, TWIMLSIM_URL);
    return super.request({ ...opts, uri });
  }
}
const viaHttpClient = twilio(ACCOUNT_SID, AUTH_TOKEN, {
  httpClient: new TwimlsimRequestClient(),
});

const signatures = [];

function twiml(path, params) {
  if (path === "/voice") {
    return (
      '<Response><Gather numDigits="1" action="/menu">' +
      "<Say>Press 1 for sales.</Say></Gather></Response>"
    );
  }
  if (path === "/menu") {
    return `<Response><Say>You pressed ${params.Digits}.</Say></Response>`;
  }
  return "<Response/>";
}

const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const params = Object.fromEntries(new URLSearchParams(body));
    const url = `http://127.0.0.1:${server.address().port}${req.url}`;
    const valid = twilio.validateRequest(
      banner.auth_token,
      req.headers["x-twilio-signature"] || "",
      url,
      params,
    );
    signatures.push([req.url, valid]);
    res.writeHead(valid ? 200 : 403, { "Content-Type": "text/xml" });
    res.end(valid ? twiml(req.url, params) : "");
  });
});

async function control(method, path, body) {
  const response = await fetch(`${banner.control_url}/${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${await response.text()}`);
  return response.json();
}

async function main() {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const app = `http://127.0.0.1:${server.address().port}`;
  await control("POST", "phones", {
    number: CALLEE,
    steps: [{ action: "presses", digits: "1" }],
  });
  const call = await client.calls.create({
    to: CALLEE,
    from: CALLER_ID,
    url: `${app}/voice`,
    statusCallback: `${app}/status`,
  });
  await control("POST", "run");
  // an app on an edge of Twilio's: its client sends its requests to
  // https://api.dublin.us1.twilio.com, which the HTTP client sends to serve too
  [viaHttpClient.edge, viaHttpClient.region] = ["dublin", "us1"];
  const fetched = await viaHttpClient.calls(call.sid).fetch();
  const log = await control("GET", `calls/${call.sid}/requests`);
  const transcript = await control("GET", `calls/${call.sid}`);
  // Lookup lives on lookups.twilio.com: both seams send it to serve too
  const byBaseUrl = await client.lookups.v2.phoneNumbers("(415) 555-0100").fetch();
  const byHttpClient = await viaHttpClient.lookups.v1
    .phoneNumbers("+14155550100")
    .fetch({ type: ["carrier"] });
  console.log(
    JSON.stringify({
      sid: call.sid,
      created: call.status,
      fetched: [fetched.status, fetched.duration],
      said: transcript.said,
      requests: log.requests.map((r) => [r.kind, r.url.replace(app, ""), r.params.Digits || null]),
      signatures,
      lookups: [
        [byBaseUrl.phoneNumber, byBaseUrl.valid, byBaseUrl.nationalFormat],
        [byHttpClient.phoneNumber, byHttpClient.carrier.type],
      ],
    }),
  );
  server.close();
}

main().catch((error) => {
  console.error(error);
  server.close();
  process.exit(1);
});
