package io.camelpowerbi.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's OneLake DFS and Fabric hosts as a plain HTTP client sees them: the create/append/flush rules, the
 * empty bodies create and flush require, the protected folders, x-ms-version, and each host's own token audience.
 */
class OneLakeRulesTest {

    @TempDir
    static Path state;

    static Sandbox sandbox;
    static TestHttp http;
    static String storageToken;
    static String powerBiToken;
    static String file;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, state));
        http = new TestHttp(sandbox);
        storageToken = token("https://storage.azure.com/.default");
        powerBiToken = token("https://analysis.windows.net/powerbi/api/.default");
        file = sandbox.oneLakeBaseUrl() + "/" + Sandbox.WORKSPACE_SALES_ANALYTICS + "/" + Sandbox.LAKEHOUSE_SALES;
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    static String token(String scope) {
        return SandboxTestSupport.devToken(sandbox, http, scope);
    }

    static TestHttp.Response send(String method, String url, String body, String token, boolean version) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (version) {
            b.header("x-ms-version", "2021-06-08");
        }
        return http.send(b.build());
    }

    static TestHttp.Response dfs(String method, String pathAndQuery, String body) {
        return send(method, file + pathAndQuery, body, storageToken, true);
    }

    static void assertStorageError(TestHttp.Response r, int status, String code) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(code, r.header("x-ms-error-code"), r.toString());
    }

    @Test
    void createAppendFlushInOrderMakeTheFile() {
        assertEquals(201, dfs("PUT", "/Files/rules/a.csv?resource=file", null).status());
        assertEquals(
                202,
                dfs("PATCH", "/Files/rules/a.csv?action=append&position=0", "a,b\n")
                        .status());
        assertEquals(
                202,
                dfs("PATCH", "/Files/rules/a.csv?action=append&position=4", "1,2\n")
                        .status());
        assertEquals(
                200,
                dfs("PATCH", "/Files/rules/a.csv?action=flush&position=8", null).status());
        assertEquals(
                "a,b\n1,2\n",
                new String(
                        sandbox.oneLakeFile(Sandbox.LAKEHOUSE_SALES, "Files/rules/a.csv"),
                        java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The answers to reading a file, its properties and deleting it are judged by the OneLake contract too. */
    @Test
    void aFlushedFileIsReadItsPropertiesGivenAndItIsDeleted() {
        assertEquals(201, dfs("PUT", "/Files/rules/r.csv?resource=file", null).status());
        assertEquals(
                202,
                dfs("PATCH", "/Files/rules/r.csv?action=append&position=0", "x,y\n")
                        .status());
        assertEquals(
                200,
                dfs("PATCH", "/Files/rules/r.csv?action=flush&position=4", null).status());
        TestHttp.Response read = dfs("GET", "/Files/rules/r.csv", null);
        assertEquals(200, read.status(), read.toString());
        assertEquals("x,y\n", read.body());
        TestHttp.Response head = dfs("HEAD", "/Files/rules/r.csv", null);
        assertEquals(200, head.status(), head.toString());
        assertEquals("file", head.header("x-ms-resource-type"));
        assertEquals("4", head.header("x-ms-content-length"));
        assertEquals(200, dfs("DELETE", "/Files/rules/r.csv", null).status());
        assertStorageError(dfs("HEAD", "/Files/rules/r.csv", null), 404, "PathNotFound");
        assertStorageError(dfs("GET", "/Files/rules/r.csv", null), 404, "PathNotFound");
    }

    @Test
    void aCreateOrFlushWithABodyIsRefused() {
        assertStorageError(dfs("PUT", "/Files/rules/b.csv?resource=file", "data"), 400, "ContentLengthMustBeZero");
        assertEquals(201, dfs("PUT", "/Files/rules/b.csv?resource=file", null).status());
        assertEquals(
                202,
                dfs("PATCH", "/Files/rules/b.csv?action=append&position=0", "xyz")
                        .status());
        assertStorageError(
                dfs("PATCH", "/Files/rules/b.csv?action=flush&position=3", "more"), 400, "ContentLengthMustBeZero");
    }

    @Test
    void positionsMustBeContiguousAndTheFlushAtTheEnd() {
        assertEquals(201, dfs("PUT", "/Files/rules/c.csv?resource=file", null).status());
        assertEquals(
                202,
                dfs("PATCH", "/Files/rules/c.csv?action=append&position=0", "12345")
                        .status());
        assertStorageError(
                dfs("PATCH", "/Files/rules/c.csv?action=flush&position=4", null), 400, "InvalidFlushPosition");
        // an append past the end is taken, uncommitted; the gap then makes every flush fail
        assertEquals(
                202,
                dfs("PATCH", "/Files/rules/c.csv?action=append&position=9", "67")
                        .status());
        assertStorageError(
                dfs("PATCH", "/Files/rules/c.csv?action=flush&position=11", null), 400, "InvalidFlushPosition");
        // the gap filled, the data is contiguous and the flush at its length commits it
        assertEquals(
                202,
                dfs("PATCH", "/Files/rules/c.csv?action=append&position=5", "abcd")
                        .status());
        assertEquals(
                200,
                dfs("PATCH", "/Files/rules/c.csv?action=flush&position=11", null)
                        .status());
        assertEquals(
                "12345abcd67",
                new String(
                        sandbox.oneLakeFile(Sandbox.LAKEHOUSE_SALES, "Files/rules/c.csv"),
                        java.nio.charset.StandardCharsets.UTF_8));
        // a committed range cannot be appended again
        assertStorageError(
                dfs("PATCH", "/Files/rules/c.csv?action=append&position=0", "x"), 400, "InvalidFlushPosition");
    }

    @Test
    void theLakehousesOwnFoldersAreProtected() {
        assertStorageError(dfs("PUT", "/Files?resource=directory", null), 403, "OperationNotAllowedOnProtectedPath");
        assertStorageError(dfs("DELETE", "/Tables?recursive=true", null), 403, "OperationNotAllowedOnProtectedPath");
    }

    @Test
    void everyRequestCarriesTheStorageVersion() {
        assertStorageError(
                send("PUT", file + "/Files/rules/d.csv?resource=file", null, storageToken, false),
                400,
                "MissingRequiredHeader");
    }

    @Test
    void eachHostTakesItsOwnAudienceOnly() {
        // OneLake "only supports tokens in the Storage audience"; Fabric's API takes Fabric's
        assertEquals(
                401,
                send("PUT", file + "/Files/rules/e.csv?resource=file", null, powerBiToken, true)
                        .status());
        TestHttp.Response fabric = http.get(
                sandbox.fabricApiBaseUrl() + "/v1/workspaces", Map.of("Authorization", "Bearer " + storageToken));
        assertEquals(401, fabric.status(), fabric.toString());
        assertTrue(fabric.json().has("errorCode"), fabric.toString());
        TestHttp.Response ok = http.get(
                sandbox.fabricApiBaseUrl() + "/v1/workspaces",
                Map.of("Authorization", "Bearer " + token("https://api.fabric.microsoft.com/.default")));
        assertEquals(200, ok.status(), ok.toString());
    }
}
