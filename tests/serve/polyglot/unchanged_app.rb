# A Ruby app that makes its own twilio-ruby client, as Twilio's Ruby samples do: run with the
# README's preload, it reaches twimlsim serve unchanged. Prints one JSON object.
#
# Usage: RUBYOPT="-r./twimlsim_preload.rb" TWIMLSIM_URL=... TWILIO_ACCOUNT_SID=... \
#        TWILIO_AUTH_TOKEN=... CALLER_ID=+15005550006 ruby unchanged_app.rb
require 'json'
require 'twilio-ruby'

client = Twilio::REST::Client.new(ENV.fetch('TWILIO_ACCOUNT_SID'), ENV.fetch('TWILIO_AUTH_TOKEN'))
call = client.calls.create(
  to: '+15558675310', from: ENV.fetch('CALLER_ID'),
  twiml: '<Response><Say>Your table is ready.</Say></Response>'
)
puts JSON.generate(sid: call.sid, created: call.status, listed: client.calls.list.map(&:sid))
