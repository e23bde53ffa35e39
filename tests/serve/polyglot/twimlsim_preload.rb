# twimlsim_preload.rb: RUBYOPT="-r/path/to/twimlsim_preload.rb" TWIMLSIM_URL=... rails server
# Sends the REST requests of every twilio-ruby client to twimlsim serve.
module TwimlsimPreload
  URL = ENV['TWIMLSIM_URL'] # read once, as the app starts

  # twilio-ruby 5 to 7 send every request through Twilio::HTTP::Client#request
  def request(host, port, method, url, *rest)
    super(host, port, method, url.sub('https://api.twilio.com', URL), *rest)
  end
end

if TwimlsimPreload::URL
  # twilio-ruby is loaded later, by the app or Bundler: patch the class once it is defined
  TracePoint.new(:end) do |point|
    next unless point.self.name == 'Twilio::HTTP::Client'

    point.self.prepend(TwimlsimPreload)
    point.disable
  end.enable
end
