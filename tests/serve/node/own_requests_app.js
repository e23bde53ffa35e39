// An app that calls the REST API with its own HTTP requests, no helper library (a
// dashboard listing conferences with axios, a script posting to Calls.json with fetch):
//   TWIMLSIM_URL=... node --require ./twimlsim-preload.cjs own_requests_app.js
// reaches twimlsim serve all the same. Prints one JSON object.
//
// Usage: TWIMLSIM='<the JSON line serve printed>' TWIMLSIM_URL=<its url> node ...
"use strict";

const https = require("node:https");
const axios = require("axios");

const banner = JSON.parse(process.env.TWIMLSIM);
const calls = `https://api.twilio.com/2010-04-01/Accounts/${banner.account_sid}/Calls`;
const basic = Buffer.from(`${banner.account_sid}:${banner.auth_token}`).toString("base64");

// https.get with a URL and a callback, as a script without any library writes it
function getWithHttps(url) {
  return new Promise((resolve, reject) => {
    https
      .get(url, { headers: { Authorization: `Basic ${basic}` } }, (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve([response.statusCode, JSON.parse(body)]));
      })
      .on("error", reject);
  });
}

// a request to another host goes out untouched, its callback with it
function otherHostKeepsItsCallback() {
  const onResponse = () => {};
  const request = https.get("https://127.0.0.1:9/", onResponse);
  request.on("error", () => {});
  const kept = request.listeners("response").includes(onResponse);
  request.destroy();
  return kept;
}

async function main() {
  const created = await fetch(`${calls}.json`, {
    method: "POST",
    headers: { Authorization: `Basic ${basic}` },
    body: new URLSearchParams({
      To: "+15558675310",
      From: banner.numbers[0],
      Twiml: "<Response><Say>Your table is ready.</Say></Response>",
    }),
  });
  const call = await created.json();
  const listed = await fetch(new Request(`${calls}.json?To=%2B15558675310`, {
    headers: { Authorization: `Basic ${basic}` },
  }));
  const fetched = await axios.get(`${calls}/${call.sid}.json`, {
    auth: { username: banner.account_sid, password: banner.auth_token },
  });
  const [status, again] = await getWithHttps(`${calls}/${call.sid}.json`);
  const lookup = await fetch("https://lookups.twilio.com/v2/PhoneNumbers/+14155550100", {
    headers: { Authorization: `Basic ${basic}` },
  });
  const looked = await lookup.json();
  console.log(
    JSON.stringify({
      sid: call.sid,
      created: [created.status, call.status],
      listed: [listed.status, (await listed.json()).calls.map((each) => each.sid)],
      axios: [fetched.status, fetched.data.to],
      https: [status, again.sid],
      lookup: [lookup.status, looked.phone_number, looked.valid],
      otherHost: otherHostKeepsItsCallback(),
    })
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
