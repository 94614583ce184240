package io.camelpowerbi.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OneLake's DFS endpoint on its own listener (as {@code onelake.dfs.fabric.microsoft.com} is another host), the ADLS Gen2
 * Path API as Microsoft Learn documents it for OneLake ("OneLake access and APIs", "OneLake API parity") and as the ADLS
 * swagger (Azure/azure-rest-api-specs, DataLakeStorage.json 2021-06-08) shapes it. Paths are
 * {@code /{workspace}/{item}/{path}}: the workspace by id, the item by id or by {@code Name.Lakehouse}.
 * <ul>
 * <li>{@code PUT ?resource=file|directory}: 201; a body is refused (400 {@code ContentLengthMustBeZero}); with
 * {@code If-None-Match: *} an existing path is 409 {@code PathAlreadyExists}, without it the file is replaced.</li>
 * <li>{@code PATCH ?action=append&position=n} with the data: 202; {@code PATCH ?action=flush&position=length} without a
 * body: 200, when the appended data is contiguous and {@code position} is the file's length after it (400
 * {@code InvalidFlushPosition} otherwise). See {@link OneLakeFiles}.</li>
 * <li>{@code GET} (read a flushed file), {@code HEAD} (a path's, or with {@code ?resource=filesystem} the workspace's,
 * properties), {@code DELETE [?recursive=true]}.</li>
 * </ul>
 * Rules of OneLake ("API parity"): the item folder and its first level ({@code Files}, {@code Tables}) cannot be created,
 * deleted or renamed (guess: answered 403 {@code OperationNotAllowedOnProtectedPath}... the service's code is not
 * documented); at workspace level only HEAD is allowed; {@code action=setAccessControl} and
 * {@code setAccessControlRecursive} are refused; the headers it ignores ({@code x-ms-owner}, {@code x-ms-group},
 * {@code x-ms-permissions}, {@code x-ms-acl}, {@code x-ms-encryption-key}, {@code x-ms-encryption-algorithm},
 * {@code x-ms-access-tier}) are named in {@code x-ms-rejected-headers}. Every request needs {@code x-ms-version}
 * (storage requires it of requests authorized with Entra ID) and a token for {@value #AUDIENCE}: OneLake "only supports
 * tokens in the Storage audience"; a Power BI or Fabric token is 401 {@code InvalidAuthenticationInfo}. The tenant
 * setting "Users can access data stored in OneLake with apps external to Fabric" off: 403 (guess: the code).
 */
final class OneLakeApi {

    /** OneLake's token audience (Learn: "OneLake only supports tokens in the Storage audience"). */
    static final String AUDIENCE = "https://storage.azure.com";
    /** The version the sandbox answers with (the one Microsoft's OneLake sample shows). */
    static final String VERSION = "2021-06-08";

    private static final Set<String> IGNORED_HEADERS = Set.of(
            "x-ms-owner",
            "x-ms-group",
            "x-ms-permissions",
            "x-ms-acl",
            "x-ms-encryption-key",
            "x-ms-encryption-algorithm",
            "x-ms-access-tier");
    /** The most one append may carry here (the service takes 4000 MiB; the sandbox keeps files in memory). */
    static final long MAX_APPEND = 100L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(OneLakeApi.class);

    private final SandboxState state;
    private final BearerValidator bearer;
    private final FabricApi fabric;

    OneLakeApi(SandboxState state, BearerValidator bearer, FabricApi fabric) {
        this.state = state;
        this.bearer = bearer;
        this.fabric = fabric;
    }

    /** Headers of every OneLake answer. */
    static void headers(SandboxExchange ex) {
        ex.setResponseHeader("x-ms-request-id", ex.requestId());
        ex.setResponseHeader("x-ms-version", VERSION);
    }

    /** Serves one request of the OneLake listener. */
    void serve(SandboxExchange ex) throws IOException {
        headers(ex);
        Caller caller = authenticate(ex);
        String version = ex.header("x-ms-version");
        if (version == null || version.isBlank()) {
            throw StorageError.missingHeader("x-ms-version");
        }
        if (!version.matches("\\d{4}-\\d{2}-\\d{2}") || version.compareTo("2017-11-09") < 0) {
            throw StorageError.unsupportedVersion(version);
        }
        rejectedHeaders(ex);
        List<String> segments = segments(ex.path());
        if (segments.isEmpty()) {
            // guess: the account level answers HEAD only, and the sandbox has nothing to say there
            throw new StorageError(
                    403,
                    "OperationNotAllowedOnProtectedPath",
                    "Operations at the OneLake account level " + "are not allowed.");
        }
        Workspace w = caller.tenant().workspace(segments.get(0)).orElseThrow(StorageError::filesystemNotFound);
        if (!w.isMember(caller.appId())) {
            // guess: the code of a caller without access to the workspace
            throw new StorageError(
                    403,
                    "AuthorizationPermissionMismatch",
                    "This request is not authorized to perform " + "this operation using this permission.");
        }
        if (segments.size() == 1) {
            workspaceLevel(ex);
            return;
        }
        Lakehouse l = fabric.lakehouse(w.id(), segments.get(1)).orElseThrow(StorageError::pathNotFound);
        String path = String.join("/", segments.subList(2, segments.size()));
        if (path.isEmpty() || Lakehouse.PROTECTED.contains(path)) {
            if (ex.method().equalsIgnoreCase("HEAD") || ex.method().equalsIgnoreCase("GET")) {
                properties(ex, l.files(), path.isEmpty() ? null : path);
                return;
            }
            throw protectedPath(path.isEmpty() ? "the item folder" : path);
        }
        if (!Lakehouse.PROTECTED.contains(segments.get(2))) {
            // OneLake items hold Files/ and Tables/ only
            throw protectedPath("the item folder");
        }
        Instant now = ex.now();
        switch (ex.method().toUpperCase(Locale.ROOT)) {
            case "PUT" -> create(ex, l.files(), path, now);
            case "PATCH" -> update(ex, l.files(), path, now);
            case "GET" -> read(ex, l.files(), path);
            case "HEAD" -> properties(ex, l.files(), path);
            case "DELETE" -> {
                l.files().delete(path, "true".equalsIgnoreCase(ex.query("recursive")));
                ex.sendEmpty(200);
            }
            default ->
                throw new StorageError(
                        405, "UnsupportedHttpVerb", "The resource doesn't support the specified " + "HTTP verb.");
        }
    }

    private Caller authenticate(SandboxExchange ex) {
        Caller caller;
        try {
            caller = bearer.verify(ex, List.of(AUDIENCE));
        } catch (BearerValidator.Refused r) {
            LOG.info("OneLake request {} {} refused: {}", ex.method(), ex.path(), r.getMessage());
            ex.setResponseHeader(
                    "WWW-Authenticate",
                    "Bearer authorization_uri=https://login.microsoftonline.com/" + Sandbox.DEV_TENANT_ID
                            + "/oauth2/authorize resource_id=" + AUDIENCE);
            throw switch (r.refusal()) {
                case MISSING ->
                    new StorageError(
                            401,
                            "NoAuthenticationInformation",
                            "Server failed to authenticate the "
                                    + "request. Please refer to the information in the www-authenticate header.");
                case EXPIRED ->
                    new StorageError(
                            401,
                            "InvalidAuthenticationInfo",
                            "Server failed to authenticate the "
                                    + "request. Please refer to the information in the www-authenticate header.\nLifetime validation "
                                    + "failed. The token is expired.");
                case WRONG_AUDIENCE ->
                    new StorageError(
                            401,
                            "InvalidAuthenticationInfo",
                            "Server failed to "
                                    + "authenticate the request. Please refer to the information in the www-authenticate header.\n"
                                    + "Audience validation failed. Audience did not match.");
                default ->
                    new StorageError(
                            401,
                            "InvalidAuthenticationInfo",
                            "Server failed to authenticate the "
                                    + "request. Please refer to the information in the www-authenticate header.");
            };
        }
        if (caller.isApp() && !caller.tenant().oneLakeExternalApps()) {
            LOG.info(
                    "OneLake request {} {} refused: tenant {} does not let apps external to Fabric access OneLake",
                    ex.method(),
                    ex.path(),
                    caller.tenant().id());
            throw new StorageError(
                    403,
                    "AuthorizationFailure",
                    "This request is not authorized to perform this "
                            + "operation. The tenant setting 'Users can access data stored in OneLake with apps external to "
                            + "Fabric' is off.");
        }
        return caller;
    }

    private void workspaceLevel(SandboxExchange ex) throws IOException {
        if (!ex.method().equalsIgnoreCase("HEAD")) {
            throw protectedPath("the workspace");
        }
        if (!"filesystem".equals(ex.query("resource"))) {
            throw StorageError.invalidQuery("resource", String.valueOf(ex.query("resource")));
        }
        ex.setResponseHeader("x-ms-namespace-enabled", "true");
        ex.sendEmpty(200);
    }

    private void create(SandboxExchange ex, OneLakeFiles files, String path, Instant now) throws IOException {
        String resource = ex.query("resource");
        if (resource == null) {
            // a rename (x-ms-rename-source) is the other PUT: the sandbox does not rename
            throw StorageError.missingQuery("resource");
        }
        if (!resource.equals("file") && !resource.equals("directory")) {
            throw StorageError.invalidQuery("resource", resource);
        }
        requireNoBody(ex);
        OneLakeFiles.Entry e =
                files.create(path, resource.equals("directory"), "*".equals(ex.header("If-None-Match")), now);
        ex.setResponseHeader("ETag", e.etag);
        ex.setResponseHeader("Last-Modified", http(e.lastModified));
        ex.setResponseHeader("x-ms-request-server-encrypted", "true");
        ex.sendEmpty(201);
    }

    private void update(SandboxExchange ex, OneLakeFiles files, String path, Instant now) throws IOException {
        String action = ex.query("action");
        if (action == null) {
            throw StorageError.missingQuery("action");
        }
        switch (action) {
            case "append" -> {
                long position = position(ex);
                long length = contentLength(ex);
                if (length > MAX_APPEND) {
                    throw new StorageError(
                            413,
                            "RequestBodyTooLarge",
                            "The request body is too large and exceeds the " + "maximum permissible limit.");
                }
                byte[] data;
                try (InputStream in = ex.bodyStream()) {
                    data = in.readNBytes((int) length);
                }
                if (data.length != length) {
                    throw new StorageError(400, "InvalidInput", "The body is shorter than its Content-Length.");
                }
                files.append(path, position, data, now);
                ex.setResponseHeader("x-ms-request-server-encrypted", "true");
                ex.sendEmpty(202);
            }
            case "flush" -> {
                long position = position(ex);
                requireNoBody(ex);
                OneLakeFiles.Entry e = files.flush(path, position, now);
                ex.setResponseHeader("ETag", e.etag);
                ex.setResponseHeader("Last-Modified", http(e.lastModified));
                ex.setResponseHeader("x-ms-request-server-encrypted", "true");
                ex.sendEmpty(200);
            }
            case "setAccessControl", "setAccessControlRecursive" ->
                // OneLake API parity: rejected
                throw new StorageError(
                        400, "UnsupportedQueryParameter", "OneLake does not support action=" + action + ".");
            default -> throw StorageError.invalidQuery("action", action);
        }
    }

    private void read(SandboxExchange ex, OneLakeFiles files, String path) throws IOException {
        OneLakeFiles.Entry e = files.entry(path);
        if (e.directory) {
            throw StorageError.pathNotFound();
        }
        ex.setResponseHeader("ETag", e.etag);
        ex.setResponseHeader("Last-Modified", http(e.lastModified));
        ex.send(200, "application/octet-stream", files.read(path));
    }

    private void properties(SandboxExchange ex, OneLakeFiles files, String path) throws IOException {
        if (path != null) {
            OneLakeFiles.Entry e = files.entry(path);
            ex.setResponseHeader("ETag", e.etag);
            ex.setResponseHeader("Last-Modified", http(e.lastModified));
            ex.setResponseHeader("x-ms-resource-type", e.directory ? "directory" : "file");
            if (!e.directory) {
                ex.setResponseHeader("x-ms-content-length", String.valueOf(e.length()));
            }
        } else {
            ex.setResponseHeader("x-ms-resource-type", "directory");
        }
        ex.sendEmpty(200);
    }

    private static void rejectedHeaders(SandboxExchange ex) {
        List<String> ignored = IGNORED_HEADERS.stream()
                .filter(h -> ex.header(h) != null)
                .sorted()
                .toList();
        if (!ignored.isEmpty()) {
            ex.setResponseHeader("x-ms-rejected-headers", String.join(",", ignored));
        }
    }

    private static long position(SandboxExchange ex) {
        String p = ex.query("position");
        if (p == null) {
            throw StorageError.missingQuery("position");
        }
        try {
            long position = Long.parseLong(p);
            if (position < 0) {
                throw new NumberFormatException(p);
            }
            return position;
        } catch (NumberFormatException e) {
            throw StorageError.invalidQuery("position", p);
        }
    }

    private static long contentLength(SandboxExchange ex) {
        String length = ex.header("Content-Length");
        if (length == null) {
            // a chunked body: the DFS API wants its length
            throw new StorageError(411, "MissingContentLengthHeader", "Content-Length header value must be specified.");
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw new StorageError(
                    400,
                    "InvalidHeaderValue",
                    "The value for one of the HTTP headers is not in the " + "correct format. (Content-Length)");
        }
    }

    /**
     * Create and flush take no body and say so: {@code Content-Length: 0}. A body, a chunked request or one without the
     * header is refused (guess for the last two: a client that left the header out met this error at OneLake,
     * sdebruyn/fabric-dw-mcp-cli#402, and sending {@code Content-Length: 0} fixed it, #410).
     */
    private static void requireNoBody(SandboxExchange ex) {
        String length = ex.header("Content-Length");
        if (length == null || !length.trim().equals("0")) {
            throw StorageError.contentLengthMustBeZero();
        }
    }

    private static StorageError protectedPath(String what) {
        return new StorageError(
                403,
                "OperationNotAllowedOnProtectedPath",
                "This operation is not allowed on " + what
                        + ": the item folder and its Files and Tables folders cannot be created, deleted or renamed, and only "
                        + "HEAD is allowed at the workspace level.");
    }

    /** The raw path's segments, percent-decoded. */
    private static List<String> segments(String rawPath) {
        String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (p.isEmpty()) {
            return List.of();
        }
        String[] parts = p.split("/", -1);
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (String part : parts) {
            String s = SandboxExchange.decode(part);
            if (s.isEmpty() || s.equals(".") || s.equals("..")) {
                throw StorageError.invalidResourceName("an empty, '.' or '..' path segment");
            }
            out.add(s);
        }
        return out;
    }

    private static String http(Instant instant) {
        return java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(java.time.ZoneOffset.UTC));
    }
}
