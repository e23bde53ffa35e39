<?php
// Loads twilio-php (twilio/sdk) from $TWILIO_PHP_SDK: composer's vendor/autoload.php when
// the directory has one, else its src/Twilio by PSR-4, as composer's autoloader would.
$sdk = rtrim(getenv('TWILIO_PHP_SDK'), '/');
if (is_file("$sdk/vendor/autoload.php")) {
    require "$sdk/vendor/autoload.php";
} else {
    spl_autoload_register(function (string $class) use ($sdk): void {
        if (strncmp($class, 'Twilio\\', 7) === 0) {
            $file = "$sdk/src/Twilio/" . str_replace('\\', '/', substr($class, 7)) . '.php';
            if (is_file($file)) {
                require $file;
            }
        }
    });
}
