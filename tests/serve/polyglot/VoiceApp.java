// A Java app against `twimlsim serve`: twilio-java places a call through the README's
// NetworkHttpClient, the JDK's HttpServer answers the webhooks and checks their signatures
// with com.twilio.security.RequestValidator, and the call is read back through the REST and
// control APIs. Prints one JSON object, as place_call.php and place_call.rb do.
//
// Run by hand with twilio-java and its dependencies on the class path:
//   TWIMLSIM='<the JSON line serve printed>' java -cp twilio.jar:... VoiceApp.java
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.twilio.Twilio;
import com.twilio.base.Page;
import com.twilio.exception.ApiException;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.security.RequestValidator;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class VoiceApp {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CALLEE = "+15558675310";
    static String TWIMLSIM_URL, ACCOUNT_SID, AUTH_TOKEN, CONTROL;
    static final List<List<Object>> signatures = Collections.synchronizedList(new ArrayList<>());

    // The README's lines (checked to be these by tests/serve/test_polyglot.py):
    static class TwimlsimHttpClient extends NetworkHttpClient {
        @Override
        public Response makeRequest(Request request) {
            Request local = new Request(request.getMethod(),
                request.getUrl().replace("https://api.twilio.com", TWIMLSIM_URL));
            local.setAuth(request.getUsername(), request.getPassword());
            local.setContentType(request.getContentType());
            request.getQueryParams().forEach((k, vs) -> vs.forEach(v -> local.addQueryParam(k, v)));
            request.getPostParams().forEach((k, vs) -> vs.forEach(v -> local.addPostParam(k, v)));
            request.getHeaderParams().forEach((k, vs) -> vs.forEach(v -> local.addHeaderParam(k, v)));
            return super.makeRequest(local);
        }
    }

    static JsonNode control(String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(CONTROL + "/" + path))
            .header("Content-Type", "application/json");
        request = body == null ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> answer = HttpClient.newHttpClient()
            .send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) throw new IllegalStateException(path + ": " + answer.body());
        return JSON.readTree(answer.body());
    }

    static Map<String, String> form(String body) {
        Map<String, String> params = new HashMap<>();
        for (String pair : body.isEmpty() ? new String[0] : body.split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        return params;
    }

    static void webhook(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        Map<String, String> params = method.equals("POST") ? form(body) : new HashMap<>();
        String url = "http://" + exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI();
        String signature = exchange.getRequestHeaders().getFirst("X-Twilio-Signature");
        boolean valid = new RequestValidator(AUTH_TOKEN).validate(url, params, signature);
        String path = exchange.getRequestURI().getPath();
        signatures.add(List.of(method, path, valid));
        if (!valid) {
            exchange.sendResponseHeaders(403, -1);
            exchange.close();
            return;
        }
        VoiceResponse.Builder twiml = new VoiceResponse.Builder();
        if (path.equals("/voice")) {
            twiml.gather(new Gather.Builder().numDigits(1).action("/menu?lang=en&note=a%20b")
                .say(new Say.Builder("Press 1 for sales.").build()).build());
        } else if (path.equals("/menu")) {
            twiml.say(new Say.Builder("You pressed " + params.get("Digits") + ".").build())
                .redirect(new Redirect.Builder("/bye?step=2").method(com.twilio.http.HttpMethod.GET).build());
        } else if (path.equals("/bye")) {
            twiml.say(new Say.Builder("Goodbye.").build());
        }
        byte[] document = twiml.build().toXml().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.sendResponseHeaders(200, document.length);
        exchange.getResponseBody().write(document);
        exchange.close();
    }

    public static void main(String[] args) throws Exception {
        JsonNode banner = JSON.readTree(System.getenv("TWIMLSIM"));
        TWIMLSIM_URL = banner.get("url").asText();
        ACCOUNT_SID = banner.get("account_sid").asText();
        AUTH_TOKEN = banner.get("auth_token").asText();
        CONTROL = banner.get("control_url").asText();
        PhoneNumber callerId = new PhoneNumber(banner.get("numbers").get(0).asText());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", VoiceApp::webhook);
        server.start();
        String app = "http://127.0.0.1:" + server.getAddress().getPort();

        Twilio.setRestClient(new TwilioRestClient.Builder(ACCOUNT_SID, AUTH_TOKEN)
            .httpClient(new TwimlsimHttpClient()).build());

        control("phones", "{\"number\": \"" + CALLEE + "\", \"steps\": [{\"action\": \"presses\", \"digits\": \"1\"}]}");
        Call call = Call.creator(new PhoneNumber(CALLEE), callerId, URI.create(app + "/voice?tenant=acme"))
            .setStatusCallback(URI.create(app + "/status?tenant=acme")).create();
        control("run", "{}");
        Call fetched = Call.fetcher(call.getSid()).fetch();
        for (int i = 0; i < 2; i++) {
            Call.creator(new PhoneNumber(CALLEE), callerId, new Twiml("<Response><Say>Hi.</Say></Response>")).create();
        }
        control("run", "{}");
        int listed = 0;
        for (Call each : Call.reader().pageSize(2).read()) listed++;
        Page<Call> page = Call.reader().pageSize(2).firstPage();
        List<Object> refused = null;
        try {
            Call.creator(new PhoneNumber("+1555"), callerId, URI.create(app + "/voice")).create();
        } catch (ApiException error) {
            refused = List.of(error.getStatusCode(), error.getCode(), error.getMessage());
        }
        server.stop(0);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("sid", call.getSid());
        result.put("created", java.util.Arrays.asList(call.getStatus().toString(), call.getDateCreated(), call.getQueueTime()));
        result.put("fetched", List.of(fetched.getStatus().toString(), fetched.getDuration(),
            fetched.getStartTime().toString(), fetched.getEndTime().toString(), fetched.getDirection()));
        result.put("listed", listed);
        result.put("pages", List.of(page.getRecords().size(), page.hasNextPage()));
        result.put("refused", refused);
        result.put("said", control("calls/" + call.getSid(), null).get("said"));
        result.put("signatures", signatures);
        System.out.println(JSON.writeValueAsString(result));
        System.exit(0);
    }
}
