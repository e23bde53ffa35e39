<?php
// The app's webhooks, served with PHP's built-in server:
//   AUTH_TOKEN=... SIGNATURES=/tmp/signatures php -S 127.0.0.1:PORT webhooks.php
// Each request's signature is checked with twilio-php's RequestValidator over the URL
// rebuilt from the request (Host header, path and query) and the POST parameters, and
// logged (method, path and query, valid) as one JSON line to $SIGNATURES.
require __DIR__ . '/twilio_php.php';

use Twilio\Security\RequestValidator;
use Twilio\TwiML\VoiceResponse;

$url = 'http://' . $_SERVER['HTTP_HOST'] . $_SERVER['REQUEST_URI'];
$params = $_SERVER['REQUEST_METHOD'] === 'POST' ? $_POST : [];
$valid = (new RequestValidator(getenv('AUTH_TOKEN')))
    ->validate($_SERVER['HTTP_X_TWILIO_SIGNATURE'] ?? '', $url, $params);
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
file_put_contents(
    getenv('SIGNATURES'),
    json_encode([$_SERVER['REQUEST_METHOD'], $path, $valid]) . "\n",
    FILE_APPEND | LOCK_EX
);
if (!$valid) {
    http_response_code(403);
    return;
}
header('Content-Type: text/xml');
$response = new VoiceResponse();
if ($path === '/voice') {
    $response->gather(['numDigits' => 1, 'action' => '/menu?lang=en&note=a%20b'])
        ->say('Press 1 for sales.');
} elseif ($path === '/menu') {
    $response->say('You pressed ' . $_POST['Digits'] . '.');
    $response->redirect('/bye?step=2', ['method' => 'GET']);
} elseif ($path === '/bye') {
    $response->say('Goodbye.');
}
echo $response;
