//go:build twimlsim

// twimlsim.go: go run -tags twimlsim . (with TWIMLSIM_URL set)
// Sends the requests of every twilio-go client made without an http.Client of its own
// (twilio.NewRestClient()) to twimlsim serve: they go through http.DefaultTransport.
package main

import (
	"net/http"
	"net/url"
	"os"
)

type apiToTwimlsim struct {
	base *url.URL
	next http.RoundTripper
}

func (t apiToTwimlsim) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == "api.twilio.com" {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host = t.base.Scheme, t.base.Host
	}
	return t.next.RoundTrip(r)
}

func init() {
	if base, err := url.Parse(os.Getenv("TWIMLSIM_URL")); err == nil && base.Host != "" {
		http.DefaultTransport = apiToTwimlsim{base, http.DefaultTransport}
	}
}
