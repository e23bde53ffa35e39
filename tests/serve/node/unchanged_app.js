// An app whose twilio client is made for it, with no seam for twimlsim (as a Twilio
// Function's context.getTwilioClient() is): run with the README's preload,
//   TWIMLSIM_URL=... node --require ./twimlsim-preload.cjs unchanged_app.js
// it reaches twimlsim serve all the same. Prints one JSON object.
//
// Usage: TWIMLSIM='<the JSON line serve printed>' TWIMLSIM_URL=<its url> node ...
"use strict";

const twilio = require("twilio");

const banner = JSON.parse(process.env.TWIMLSIM);

async function main() {
  const client = twilio(banner.account_sid, banner.auth_token);
  const call = await client.calls.create({
    to: "+15558675310",
    from: banner.numbers[0],
    twiml: "<Response><Say>Your table is ready.</Say></Response>",
  });
  // a client for an edge of Twilio's, which sends its requests to
  // https://api.sydney.us1.twilio.com (the US1 region's: the account's credentials are)
  const edge = { edge: "sydney" };
  const fetched = await twilio(banner.account_sid, banner.auth_token, edge)
    .calls(call.sid)
    .fetch();
  // a Lookup, as a caller-ID forwarding Function makes before it forwards the call
  const lookup = await client.lookups.v1
    .phoneNumbers("+14155550100")
    .fetch({ type: ["carrier", "caller-name"] });
  console.log(
    JSON.stringify({
      sid: call.sid,
      created: call.status,
      fetched: fetched.to,
      lookup: [lookup.phoneNumber, lookup.callerName],
    })
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
