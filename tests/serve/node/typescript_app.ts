// A TypeScript app run with tsx, which compiles the modules it loads with its own loader:
//   TWIMLSIM_URL=... NODE_OPTIONS="--require ./twimlsim-preload.cjs" tsx typescript_app.ts
// it reaches twimlsim serve. Prints one JSON object.
//
// Usage: TWIMLSIM='<the JSON line serve printed>' TWIMLSIM_URL=<its url> tsx ...
import twilio from "twilio";

interface Banner {
  account_sid: string;
  auth_token: string;
  numbers: string[];
}

const banner: Banner = JSON.parse(process.env.TWIMLSIM ?? "{}");
const client = twilio(banner.account_sid, banner.auth_token);
const call = await client.calls.create({
  to: "+15558675310",
  from: banner.numbers[0],
  twiml: "<Response><Say>Your table is ready.</Say></Response>",
});
const fetched = await client.calls(call.sid).fetch();
console.log(JSON.stringify({ sid: call.sid, created: call.status, fetched: fetched.to }));
