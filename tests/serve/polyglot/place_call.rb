# A Ruby app against `twimlsim serve`: twilio-ruby places a call through the README's HTTP
# client, a WEBrick server answers the webhooks and checks their signatures with
# Twilio::Security::RequestValidator, and the call is read back through the REST and
# control APIs. Prints one JSON object.
#
# Usage: TWIMLSIM='<the JSON line serve printed>' ruby place_call.rb
# (twilio-ruby and webrick installed as gems, or on RUBYLIB)
require 'json'
require 'net/http'
require 'webrick'
require 'twilio-ruby'

banner = JSON.parse(ENV.fetch('TWIMLSIM'))
CALLEE = '+15558675310'
CALLER_ID = banner['numbers'][0]
TWIMLSIM_URL = banner['url']
ACCOUNT_SID = banner['account_sid']
AUTH_TOKEN = banner['auth_token']

# The README's lines (checked to be these by tests/serve/test_polyglot.py):
class TwimlsimHttpClient < Twilio::HTTP::Client
  def request(host, port, method, url, *rest)
    super(host, port, method, url.sub('https://api.twilio.com', TWIMLSIM_URL), *rest)
  end
end
client = Twilio::REST::Client.new(ACCOUNT_SID, AUTH_TOKEN)
client.http_client = TwimlsimHttpClient.new

validator = Twilio::Security::RequestValidator.new(AUTH_TOKEN)
signatures = Queue.new
server = WEBrick::HTTPServer.new(BindAddress: '127.0.0.1', Port: 0,
                                 Logger: WEBrick::Log.new(File::NULL), AccessLog: [])
server.mount_proc('/') do |request, response|
  params = request.request_method == 'POST' ? URI.decode_www_form(request.body || '').to_h : {}
  url = "http://#{request['Host']}#{request.unparsed_uri}"
  valid = validator.validate(url, params, request['X-Twilio-Signature'].to_s)
  signatures << [request.request_method, request.path, valid]
  response.status = valid ? 200 : 403
  response['Content-Type'] = 'text/xml'
  twiml = Twilio::TwiML::VoiceResponse.new
  case request.path
  when '/voice'
    twiml.gather(num_digits: 1, action: '/menu?lang=en&note=a%20b') do |gather|
      gather.say(message: 'Press 1 for sales.')
    end
  when '/menu'
    twiml.say(message: "You pressed #{params['Digits']}.")
    twiml.redirect('/bye?step=2', method: 'GET')
  when '/bye'
    twiml.say(message: 'Goodbye.')
  end
  response.body = valid ? twiml.to_s : ''
end
Thread.new { server.start }
app = "http://127.0.0.1:#{server.config[:Port]}"

def control(banner, method, path, body = nil)
  uri = URI("#{banner['control_url']}/#{path}")
  request = (method == 'GET' ? Net::HTTP::Get : Net::HTTP::Post).new(uri)
  request['Content-Type'] = 'application/json'
  request.body = body.to_json if body
  response = Net::HTTP.start(uri.host, uri.port) { |http| http.request(request) }
  raise "#{method} #{path}: #{response.body}" unless response.code == '200'

  JSON.parse(response.body)
end

control(banner, 'POST', 'phones', { number: CALLEE, steps: [{ action: 'presses', digits: '1' }] })
call = client.calls.create(to: CALLEE, from: CALLER_ID, url: "#{app}/voice?tenant=acme",
                           status_callback: "#{app}/status?tenant=acme")
control(banner, 'POST', 'run')
fetched = client.calls(call.sid).fetch
2.times { client.calls.create(to: CALLEE, from: CALLER_ID, twiml: '<Response><Say>Hi.</Say></Response>') }
control(banner, 'POST', 'run')
page = client.calls.page(page_size: 2)
refused = begin
  client.calls.create(to: '+1555', from: CALLER_ID, url: "#{app}/voice")
  nil
rescue Twilio::REST::RestError => e
  [e.status_code, e.code, e.error_message]
end
server.shutdown
puts JSON.generate(
  sid: call.sid,
  created: [call.status, call.date_created, call.queue_time],
  fetched: [fetched.status, fetched.duration, fetched.start_time.iso8601, fetched.end_time.iso8601,
            fetched.direction],
  listed: client.calls.list(page_size: 2).size,
  pages: [page.to_a.size, page.next_page.to_a.size],
  refused: refused,
  said: control(banner, 'GET', "calls/#{call.sid}")['said'],
  signatures: Array.new(signatures.size) { signatures.pop }
)
