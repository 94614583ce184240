package io.camelpowerbi.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every AADSTS code the issue names gets a hint that says what to change, in this component's words. */
class EntraHintsTest {

    static final TokenSource SOURCE = new TokenSource(
            "https://login.microsoftonline.com",
            "contoso.onmicrosoft.com",
            "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
            new ClientSecret("s3cret-value"),
            TokenEndpointVersion.V2,
            "https://analysis.windows.net/powerbi/api");

    @ParameterizedTest
    @ValueSource(
            ints = {
                700016, 700021, 700023, 700024, 700027, 7000112, 7000215, 7000218, 7000222, 50027, 50048, 90002, 500011,
                900144, 901002, 1002012, 9001023
            })
    void everyCodeHasAHint(int code) {
        String hint = EntraHints.hint(code, SOURCE, "https://login.windows.net/contoso.onmicrosoft.com");
        assertNotNull(hint, "no hint for AADSTS" + code);
        assertTrue(hint.length() > 20, hint);
        assertFalse(hint.contains("s3cret-value"), hint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"700023"})
    void audienceHintShowsBothValues(String code) {
        String hint =
                EntraHints.hint(Integer.parseInt(code), SOURCE, "https://login.windows.net/contoso.onmicrosoft.com");
        assertTrue(hint.contains("Sent aud: https://login.windows.net/contoso.onmicrosoft.com;"), hint);
        assertTrue(
                hint.contains(
                        "it must equal: https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"),
                hint);
    }

    @ParameterizedTest
    @ValueSource(ints = {700027})
    void federatedHintsNameTheFile(int code) throws Exception {
        Path file = Files.createTempFile("federated", ".jwt");
        TokenSource federated = new TokenSource(
                SOURCE.authorityHost(),
                SOURCE.tenantId(),
                SOURCE.clientId(),
                new FederatedAssertionFile(file),
                TokenEndpointVersion.V2,
                SOURCE.resource());
        assertTrue(EntraHints.hint(50027, federated, null).contains(file.toString()));
        assertNotNull(EntraHints.hint(code, federated, null));
        Files.delete(file);
    }
}
