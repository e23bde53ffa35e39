<?php
// A PHP app against `twimlsim serve`: twilio-php places a call through the README's HTTP
// client, webhooks.php (PHP's built-in server) answers the webhooks and checks their
// signatures, and the call is read back through the REST and control APIs. Prints one
// JSON object.
//
// Usage: TWIMLSIM='<the JSON line serve printed>' APP_URL=http://127.0.0.1:PORT \
//        TWILIO_PHP_SDK=vendor/twilio/sdk php place_call.php
require __DIR__ . '/twilio_php.php';

$banner = json_decode(getenv('TWIMLSIM'), true);
const CALLEE = '+15558675310';
define('CALLER_ID', $banner['numbers'][0]);
define('TWIMLSIM_URL', $banner['url']);
define('ACCOUNT_SID', $banner['account_sid']);
define('AUTH_TOKEN', $banner['auth_token']);
$app = getenv('APP_URL');

// The README's lines (checked to be these by tests/serve/test_polyglot.py):
final class TwimlsimHttpClient implements \Twilio\Http\Client {
    private \Twilio\Http\CurlClient $curl;
    public function __construct() { $this->curl = new \Twilio\Http\CurlClient(); }
    public function request(string $method, string $url, array $params = [], array $data = [],
                            array $headers = [], ?string $user = null, ?string $password = null,
                            ?int $timeout = null, ?\Twilio\AuthStrategy\AuthStrategy $authStrategy = null
    ): \Twilio\Http\Response {
        $url = str_replace('https://api.twilio.com', TWIMLSIM_URL, $url);
        return $this->curl->request($method, $url, $params, $data, $headers, $user, $password,
                                    $timeout, $authStrategy);
    }
}
$client = new \Twilio\Rest\Client(ACCOUNT_SID, AUTH_TOKEN, null, null, new TwimlsimHttpClient());

function control(array $banner, string $method, string $path, ?array $body = null): array {
    $curl = curl_init($banner['control_url'] . '/' . $path);
    curl_setopt_array($curl, [
        CURLOPT_CUSTOMREQUEST => $method,
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_HTTPHEADER => ['Content-Type: application/json'],
    ]);
    if ($body !== null) {
        curl_setopt($curl, CURLOPT_POSTFIELDS, json_encode($body));
    }
    $answer = curl_exec($curl);
    if (curl_getinfo($curl, CURLINFO_HTTP_CODE) !== 200) {
        throw new RuntimeException("$method $path: $answer");
    }
    return json_decode($answer, true);
}

control($banner, 'POST', 'phones', [
    'number' => CALLEE, 'steps' => [['action' => 'presses', 'digits' => '1']],
]);
$call = $client->calls->create(CALLEE, CALLER_ID, [
    'url' => "$app/voice?tenant=acme",
    'statusCallback' => "$app/status?tenant=acme",
]);
control($banner, 'POST', 'run');
$fetched = $client->calls($call->sid)->fetch();
foreach ([1, 2] as $_) {
    $client->calls->create(CALLEE, CALLER_ID, ['twiml' => '<Response><Say>Hi.</Say></Response>']);
}
control($banner, 'POST', 'run');
$page = $client->calls->page([], 2);
try {
    $client->calls->create('+1555', CALLER_ID, ['url' => "$app/voice"]);
    $refused = null;
} catch (\Twilio\Exceptions\RestException $error) {
    $refused = [$error->getStatusCode(), $error->getCode(), $error->getMessage()];
}
echo json_encode([
    'sid' => $call->sid,
    'created' => [$call->status, $call->dateCreated, $call->queueTime],
    'fetched' => [
        $fetched->status, $fetched->duration, $fetched->startTime->format(DATE_ATOM),
        $fetched->endTime->format(DATE_ATOM), $fetched->direction,
    ],
    'listed' => count($client->calls->read([], null, 2)),
    'pages' => [iterator_count($page), iterator_count($page->nextPage())],
    'refused' => $refused,
    'said' => control($banner, 'GET', "calls/{$call->sid}")['said'],
]), "\n";
