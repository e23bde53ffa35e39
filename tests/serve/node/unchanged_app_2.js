// An app on twilio-node 2 (its makeCall and calls(sid).get), as samples from before 2017
// are: run with the README's preload it reaches twimlsim serve. Prints one JSON object.
//
// Usage: TWIMLSIM='<the JSON line serve printed>' TWIMLSIM_URL=<its url> node ...
"use strict";

const twilio = require("twilio");

const banner = JSON.parse(process.env.TWIMLSIM);
const client = twilio(banner.account_sid, banner.auth_token);

client.makeCall(
  {
    to: "+15558675310",
    from: banner.numbers[0],
    url: "http://demo.twilio.com/docs/voice.xml",
  },
  (error, call) => {
    if (error) {
      console.error(JSON.stringify(error));
      process.exit(1);
    }
    client.calls(call.sid).get((fetchError, fetched) => {
      if (fetchError) {
        console.error(JSON.stringify(fetchError));
        process.exit(1);
      }
      console.log(JSON.stringify({ sid: call.sid, created: call.status, fetched: fetched.to }));
    });
  },
);
