// A Go app that makes its own twilio-go client from the environment's credentials
// (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN), as Twilio's Go samples do: built with the
// README's twimlsim.go (go run -tags twimlsim .), it reaches twimlsim serve unchanged.
// Prints one JSON object.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/twilio/twilio-go"
	api "github.com/twilio/twilio-go/rest/api/v2010"
)

func main() {
	client := twilio.NewRestClient()
	params := &api.CreateCallParams{}
	params.SetTo("+15558675310").SetFrom(os.Getenv("CALLER_ID"))
	params.SetTwiml("<Response><Say>Your table is ready.</Say></Response>")
	call, err := client.Api.CreateCall(params)
	if err != nil {
		panic(err)
	}
	listed, err := client.Api.ListCall(&api.ListCallParams{})
	if err != nil {
		panic(err)
	}
	sids := []string{}
	for _, each := range listed {
		sids = append(sids, *each.Sid)
	}
	out, _ := json.Marshal(map[string]interface{}{"sid": *call.Sid, "created": *call.Status, "listed": sids})
	fmt.Println(string(out))
}
