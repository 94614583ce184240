package io.camelpowerbi.client;

/**
 * What a service said when it refused a request, read from the answer in that service's error shape.
 *
 * @param code         the service's error code (Power BI's {@code error.code}, Fabric's {@code errorCode}, OneLake's
 *                     {@code x-ms-error-code}), or null
 * @param detail       its message, or null
 * @param hint         what to change, or null
 * @param tokenExpired the token was refused as expired: worth one refresh and replay
 */
record ServiceError(String code, String detail, String hint, boolean tokenExpired) {}
