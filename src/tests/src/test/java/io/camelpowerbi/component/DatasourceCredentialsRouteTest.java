package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.operations.GatewayCredentialEncryptor;
import io.camelpowerbi.sandbox.Sandbox;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * updateDatasourceCredentials from YAML routes: the credentials reach the sandbox's on-premises gateways encrypted as
 * Microsoft's SDKs encrypt them, for a 2048-bit key (hybrid AES + HMAC) and a 1024-bit key (RSA-OAEP blocks), and the
 * gateway decrypts them; credentials encrypted with another key are refused.
 */
class DatasourceCredentialsRouteTest extends SandboxRouteTest {

    static final String SOURCE = "5e1d9b3a-7c2f-4a8e-b6d4-0f3a9c7e1b52";
    static final String BASIC = "{\"credentialData\":[{\"name\":\"username\",\"value\":\"svc-finance\"},"
            + "{\"name\":\"password\",\"value\":\"s3cret!\"}]}";

    @BeforeEach
    void start() throws Exception {
        routes("""
                - route:
                    from:
                      uri: direct:credentials
                      steps:
                        - to:
                            uri: powerbi:updateDatasourceCredentials
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model" }
                - route:
                    from:
                      uri: direct:toLegacyGateway
                      steps:
                        - to:
                            uri: powerbi:bindToGateway
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model", gateway: "%s" }
                - route:
                    from:
                      uri: direct:patch
                      steps:
                        - to:
                            uri: powerbi:call
                            parameters: { method: PATCH, path: "/gateways/%s/datasources/%s" }
                """.formatted(Sandbox.GATEWAY_LEGACY, Sandbox.GATEWAY_FINANCE, SOURCE));
    }

    static Map<String, Object> basic() {
        return Map.of("credentialType", "Basic", "username", "svc-finance", "password", "s3cret!");
    }

    @Test
    void aGatewayWithA2048BitKeyDecryptsWhatWasSent() {
        assertNull(
                sandbox.datasourceCredentials(Sandbox.GATEWAY_FINANCE, SOURCE).orElse(null));

        List<?> updated = ok(send("direct:credentials", basic())).getMessage().getBody(List.class);

        assertEquals(List.of(SOURCE), updated, "the body names what was updated, and no longer holds the password");
        assertEquals(
                BASIC,
                sandbox.datasourceCredentials(Sandbox.GATEWAY_FINANCE, SOURCE).orElseThrow());
    }

    @Test
    void aGatewayWithA1024BitKeyDecryptsWhatWasSent() {
        ok(send("direct:toLegacyGateway", null));

        ok(send("direct:credentials", basic()));

        assertEquals(
                BASIC,
                sandbox.datasourceCredentials(Sandbox.GATEWAY_LEGACY, SOURCE).orElseThrow());
    }

    @Test
    void credentialsEncryptedWithAnotherKeyAreRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        RSAPublicKey other = (RSAPublicKey) generator.generateKeyPair().getPublic();
        String encrypted = new GatewayCredentialEncryptor(
                        unsigned(other.getPublicExponent()), unsigned(other.getModulus()))
                .encrypt(BASIC);
        String body = "{\"credentialDetails\":{\"credentialType\":\"Basic\",\"credentials\":\"" + encrypted + "\","
                + "\"encryptedConnection\":\"Encrypted\",\"encryptionAlgorithm\":\"RSA-OAEP\",\"privacyLevel\":\"None\"}}";

        PowerBiException e = assertInstanceOf(
                PowerBiException.class, send("direct:patch", body).getException());

        assertEquals(400, e.httpStatus());
        assertTrue(String.valueOf(e.errorCode()).contains("NotDecryptable"), e.getMessage());
        assertNull(
                sandbox.datasourceCredentials(Sandbox.GATEWAY_FINANCE, SOURCE).orElse(null));
    }

    @Test
    void aCredentialTypeWithoutItsFieldsIsRefusedBeforeAnyCall() {
        IllegalArgumentException e = assertInstanceOf(
                IllegalArgumentException.class,
                send("direct:credentials", Map.of("credentialType", "Key")).getException());

        assertTrue(e.getMessage().contains("'key'"), e.getMessage());
    }

    static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return Base64.getEncoder().encodeToString(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
    }
}
