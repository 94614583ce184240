package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-premises gateways (Gateways_GetGateway, Gateways_UpdateDatasource): each holds an RSA key pair and publishes the
 * public key as Power BI does ({@code exponent}, {@code modulus}: base64 of the unsigned big-endian bytes); credentials
 * sent to one of its data sources with {@code encryptionAlgorithm: RSA-OAEP} are decrypted as Microsoft's SDKs encrypt
 * them (1024-bit keys: 128-byte RSA-OAEP blocks, SHA-1 as the .NET and Java SDKs use or SHA-256 as the Python sample
 * does; larger keys: RSA-OAEP-SHA256 over an AES-256 and an HMAC-SHA256 key, then AES-256-CBC checked by the HMAC).
 *
 * <p>guess: what Power BI answers for credentials it cannot decrypt is not documented; the sandbox answers 400 with its
 * own code {@code SandboxCredentialsNotDecryptable}. The decrypted credentials are kept for tests and never logged.
 */
final class GatewaysApi implements PowerBiApi.Module {

    private static final Logger LOG = LoggerFactory.getLogger(GatewaysApi.class);
    /** Bound to by "Finance Model"'s SQL data source; a 2048-bit key. */
    static final String FINANCE_GATEWAY = "8f2a6c4e-1d3b-4e7a-9c5f-2b8d0e6a4c17";
    /** A gateway with a 1024-bit key, the older size the SDKs still handle. */
    static final String LEGACY_GATEWAY = "2c4e6a8b-0d1f-4a3c-8e5b-7d9f1b3c5e64";

    private static final ObjectMapper LENIENT =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

    private record Gateway(String id, String name, KeyPair keys, Map<String, String> credentials) {}

    private final Map<String, Gateway> gateways = new LinkedHashMap<>();
    private PowerBiApi api;

    GatewaysApi() {
        gateways.put(
                FINANCE_GATEWAY,
                new Gateway(FINANCE_GATEWAY, "Finance Gateway", keyPair(2048), new ConcurrentHashMap<>()));
        gateways.put(
                LEGACY_GATEWAY,
                new Gateway(LEGACY_GATEWAY, "Legacy Gateway", keyPair(1024), new ConcurrentHashMap<>()));
    }

    private static KeyPair keyPair(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void register(Router router, PowerBiApi powerBiApi) {
        this.api = powerBiApi;
        router.get(PowerBiApi.BASE_PATH + "/gateways/{gatewayId}", api.authenticated(this::get));
        router.patch(
                PowerBiApi.BASE_PATH + "/gateways/{gatewayId}/datasources/{datasourceId}",
                api.authenticated(this::update));
    }

    /** The credentials JSON last set on a data source of a gateway, decrypted. */
    Optional<String> credentials(String gatewayId, String datasourceId) {
        Gateway g = gateways.get(gatewayId.toLowerCase());
        return g == null
                ? Optional.empty()
                : Optional.ofNullable(g.credentials().get(datasourceId.toLowerCase()));
    }

    private Gateway gateway(SandboxExchange ex) {
        Gateway g = gateways.get(ex.pathParam("gatewayId").toLowerCase());
        if (g == null) {
            throw PowerBiError.entityNotFound().exception();
        }
        return g;
    }

    private void get(SandboxExchange ex, Caller caller) throws IOException {
        Gateway g = gateway(ex);
        RSAPublicKey key = (RSAPublicKey) g.keys().getPublic();
        ObjectNode body = Json.object()
                .put("id", g.id())
                .put("name", g.name())
                .put("type", "Resource")
                .put("gatewayStatus", "Live");
        body.putObject("publicKey")
                .put("exponent", unsigned(key.getPublicExponent()))
                .put("modulus", unsigned(key.getModulus()));
        ex.sendJson(200, PowerBiApi.odataEntity(ex, "gateways", body));
    }

    /** Base64 of the unsigned big-endian bytes: without the sign byte, a 1024-bit modulus is 128 bytes. */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getEncoder().encodeToString(bytes);
    }

    private void update(SandboxExchange ex, Caller caller) throws IOException {
        Gateway g = gateway(ex);
        String datasourceId = ex.pathParam("datasourceId").toLowerCase();
        boolean known = caller.tenant().workspaces().stream()
                .flatMap(w -> w.datasets().stream())
                .flatMap(d -> d.datasources().stream())
                .anyMatch(s -> g.id().equalsIgnoreCase(s.path("gatewayId").asText())
                        && datasourceId.equalsIgnoreCase(s.path("datasourceId").asText()));
        if (!known) {
            throw PowerBiError.entityNotFound().exception();
        }
        JsonNode body = PowerBiApi.jsonBody(ex);
        JsonNode details = body == null ? null : body.path("credentialDetails");
        if (details == null
                || !details.isObject()
                || !details.path("credentials").isTextual()) {
            throw DatasetsApi.bad(
                    "credentialDetails with credentials, credentialType, encryptedConnection, encryptionAlgorithm and"
                            + " privacyLevel is required.");
        }
        String credentials = details.get("credentials").asText();
        String json;
        if ("RSA-OAEP".equals(details.path("encryptionAlgorithm").asText())) {
            json = decrypt(g, credentials);
            if (json == null) {
                throw PowerBiError.badRequest(
                                "SandboxCredentialsNotDecryptable",
                                "The credentials could not be decrypted" + " with the private key of gateway " + g.id()
                                        + ": encrypt them with this gateway's current public key.")
                        .exception();
            }
        } else {
            // SW CredentialDetails.encryptionAlgorithm: "For an on-premises data source, specify RSA-OAEP"
            throw DatasetsApi.bad("Data source " + datasourceId + " is on on-premises gateway " + g.id() + ": its"
                    + " credentials must be encrypted with the gateway's public key (encryptionAlgorithm RSA-OAEP).");
        }
        try {
            if (!LENIENT.readTree(json).has("credentialData")) {
                throw DatasetsApi.bad("The credentials must be a JSON object with credentialData.");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw DatasetsApi.bad("The credentials are not JSON.");
        }
        g.credentials().put(datasourceId, json);
        LOG.info(
                "gateway {}: credentials of data source {} updated ({})",
                g.id(),
                datasourceId,
                details.path("credentialType").asText());
        ex.sendEmpty(200);
    }

    /** The credentials JSON, or null when they do not decrypt with the gateway's key. */
    private static String decrypt(Gateway g, String text) {
        try {
            int k = ((RSAPublicKey) g.keys().getPublic()).getModulus().bitLength() / 8;
            if (k == 128) {
                byte[] raw = Base64.getDecoder().decode(text);
                if (raw.length == 0 || raw.length % 128 != 0) {
                    return null;
                }
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                for (int i = 0; i < raw.length; i += 128) {
                    byte[] block = Arrays.copyOfRange(raw, i, i + 128);
                    byte[] plain;
                    try {
                        plain = rsa(g, "SHA-1", MGF1ParameterSpec.SHA1, block);
                    } catch (GeneralSecurityException sha1) {
                        plain = rsa(g, "SHA-256", MGF1ParameterSpec.SHA256, block);
                    }
                    out.writeBytes(plain);
                }
                return out.toString(StandardCharsets.UTF_8);
            }
            int n = 4 * ((k + 2) / 3);
            if (text.length() <= n) {
                return null;
            }
            byte[] keys = rsa(
                    g, "SHA-256", MGF1ParameterSpec.SHA256, Base64.getDecoder().decode(text.substring(0, n)));
            byte[] blob = Base64.getDecoder().decode(text.substring(n));
            if (keys.length != 98
                    || keys[0] != 0
                    || keys[1] != 1
                    || blob.length < 50 + 16
                    || blob[0] != 0
                    || blob[1] != 0) {
                return null;
            }
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(keys, 34, 64, "HmacSHA256"));
            hmac.update(blob, 0, 2);
            byte[] tag = hmac.doFinal(Arrays.copyOfRange(blob, 34, blob.length));
            if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(blob, 2, 34))) {
                return null;
            }
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys, 2, 32, "AES"), new IvParameterSpec(blob, 34, 16));
            return new String(aes.doFinal(blob, 50, blob.length - 50), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] rsa(Gateway g, String digest, MGF1ParameterSpec mgf, byte[] block)
            throws GeneralSecurityException {
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
        rsa.init(
                Cipher.DECRYPT_MODE,
                g.keys().getPrivate(),
                new OAEPParameterSpec(digest, "MGF1", mgf, PSource.PSpecified.DEFAULT));
        return rsa.doFinal(block);
    }
}
