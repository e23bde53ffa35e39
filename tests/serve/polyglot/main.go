// A Go app against `twimlsim serve`: twilio-go places a call through the README's
// http.Client, a net/http server answers the webhooks and checks their signatures with
// client.RequestValidator, and the call is read back through the REST and control APIs.
// Prints one JSON object, as place_call.php and place_call.rb do.
//
// Run by hand, in a module that requires github.com/twilio/twilio-go:
//
//	TWIMLSIM='<the JSON line serve printed>' go run main.go
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"

	"github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"
	"github.com/twilio/twilio-go/twiml"
)

const callee = "+15558675310"

// The README's lines (checked to be these by tests/serve/test_polyglot.py):
type toTwimlsim struct{ base *url.URL }

func (t toTwimlsim) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context()) // a RoundTripper leaves the caller's request as it was
	r.URL.Scheme, r.URL.Host = t.base.Scheme, t.base.Host
	return http.DefaultTransport.RoundTrip(r)
}

var banner struct {
	URL        string   `json:"url"`
	AccountSid string   `json:"account_sid"`
	AuthToken  string   `json:"auth_token"`
	ControlURL string   `json:"control_url"`
	Numbers    []string `json:"numbers"`
}

func control(method, path string, body interface{}) map[string]interface{} {
	payload := []byte("{}") // json.Marshal(nil) would send null, which is not a JSON object
	if body != nil {
		payload, _ = json.Marshal(body)
	}
	request, _ := http.NewRequest(method, banner.ControlURL+"/"+path, bytes.NewReader(payload))
	request.Header.Set("Content-Type", "application/json")
	response, err := http.DefaultClient.Do(request)
	if err != nil || response.StatusCode != 200 {
		panic(fmt.Sprintf("%s %s: %v %v", method, path, err, response))
	}
	defer response.Body.Close()
	answer := map[string]interface{}{}
	json.NewDecoder(response.Body).Decode(&answer)
	return answer
}

func check(err error) {
	if err != nil {
		panic(err)
	}
}

func main() {
	check(json.Unmarshal([]byte(os.Getenv("TWIMLSIM")), &banner))
	TWIMLSIM_URL, ACCOUNT_SID, AUTH_TOKEN := banner.URL, banner.AccountSid, banner.AuthToken
	callerID := banner.Numbers[0]

	validator := client.NewRequestValidator(AUTH_TOKEN)
	var mutex sync.Mutex
	signatures := [][]interface{}{}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	app := "http://" + listener.Addr().String()
	go http.Serve(listener, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		check(r.ParseForm())
		params := map[string]string{}
		for key, values := range r.PostForm {
			params[key] = values[0]
		}
		valid := validator.Validate("http://"+r.Host+r.URL.RequestURI(), params, r.Header.Get("X-Twilio-Signature"))
		mutex.Lock()
		signatures = append(signatures, []interface{}{r.Method, r.URL.Path, valid})
		mutex.Unlock()
		if !valid {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		var verbs []twiml.Element
		switch r.URL.Path {
		case "/voice":
			say := &twiml.VoiceSay{Message: "Press 1 for sales."}
			verbs = append(verbs, &twiml.VoiceGather{NumDigits: "1", Action: "/menu?lang=en&note=a%20b", InnerElements: []twiml.Element{say}})
		case "/menu":
			verbs = append(verbs, &twiml.VoiceSay{Message: "You pressed " + r.PostForm.Get("Digits") + "."}, &twiml.VoiceRedirect{Url: "/bye?step=2", Method: "GET"})
		case "/bye":
			verbs = append(verbs, &twiml.VoiceSay{Message: "Goodbye."})
		}
		document, err := twiml.Voice(verbs)
		check(err)
		w.Header().Set("Content-Type", "text/xml")
		w.Write([]byte(document))
	}))

	base, _ := url.Parse(TWIMLSIM_URL)
	baseClient := &client.Client{
		Credentials: client.NewCredentials(ACCOUNT_SID, AUTH_TOKEN),
		HTTPClient:  &http.Client{Transport: toTwimlsim{base}},
	}
	baseClient.SetAccountSid(ACCOUNT_SID)
	twilioClient := twilio.NewRestClientWithParams(twilio.ClientParams{Client: baseClient})

	control("POST", "phones", map[string]interface{}{"number": callee, "steps": []map[string]string{{"action": "presses", "digits": "1"}}})
	params := &api.CreateCallParams{}
	params.SetTo(callee).SetFrom(callerID).SetUrl(app + "/voice?tenant=acme").SetStatusCallback(app + "/status?tenant=acme")
	call, err := twilioClient.Api.CreateCall(params)
	check(err)
	control("POST", "run", nil)
	fetched, err := twilioClient.Api.FetchCall(*call.Sid, &api.FetchCallParams{})
	check(err)
	for i := 0; i < 2; i++ {
		more := &api.CreateCallParams{}
		more.SetTo(callee).SetFrom(callerID).SetTwiml("<Response><Say>Hi.</Say></Response>")
		_, err := twilioClient.Api.CreateCall(more)
		check(err)
	}
	control("POST", "run", nil)
	listParams := &api.ListCallParams{}
	listParams.SetPageSize(2)
	listed, err := twilioClient.Api.ListCall(listParams)
	check(err)
	page, err := twilioClient.Api.PageCall(listParams, "", "")
	check(err)
	bad := &api.CreateCallParams{}
	bad.SetTo("+1555").SetFrom(callerID).SetUrl(app + "/voice")
	_, err = twilioClient.Api.CreateCall(bad)
	refused := err.(*client.TwilioRestError)
	mutex.Lock()
	defer mutex.Unlock()
	out, _ := json.Marshal(map[string]interface{}{
		"sid":        *call.Sid,
		"created":    []interface{}{*call.Status, call.DateCreated, *call.QueueTime},
		"fetched":    []interface{}{*fetched.Status, *fetched.Duration, *fetched.StartTime, *fetched.EndTime, *fetched.Direction},
		"listed":     len(listed),
		"pages":      []interface{}{len(page.Calls), page.NextPageUri != nil},
		"refused":    []interface{}{refused.Status, refused.Code, refused.Message},
		"said":       control("GET", "calls/"+*call.Sid, nil)["said"],
		"signatures": signatures,
	})
	fmt.Println(string(out))
}
