package io.camelpowerbi.sandbox;

import java.io.IOException;
import java.util.List;

/**
 * The Power BI REST API under {@code /v1.0/myorg}. Each concept (groups, datasets, refreshes, exports, ...) is a
 * {@link Module} registering its routes; wrap handlers with {@link #authenticated} to get Power BI's headers and
 * bearer validation. To add endpoints: write a module and list it in {@link #register(Router)}.
 */
public final class PowerBiApi {

    public static final String BASE_PATH = "/v1.0/myorg";

    /** One group of endpoints. */
    public interface Module {
        void register(Router router, PowerBiApi api);
    }

    /** A handler that runs after the bearer token was validated. */
    @FunctionalInterface
    public interface AuthenticatedHandler {
        void handle(SandboxExchange exchange, Caller caller) throws Exception;
    }

    private final SandboxConfig config;
    private final SandboxState state;
    private final BearerValidator bearerValidator;

    PowerBiApi(SandboxConfig config, SandboxState state, BearerValidator bearerValidator) {
        this.config = config;
        this.state = state;
        this.bearerValidator = bearerValidator;
    }

    void register(Router router) {
        for (Module module : List.<Module>of(new GroupsApi())) {
            module.register(router, this);
        }
    }

    public SandboxState state() {
        return state;
    }

    public SandboxConfig config() {
        return config;
    }

    public BearerValidator bearerValidator() {
        return bearerValidator;
    }

    /** Adds Power BI's response headers, validates the bearer token, then runs {@code handler}. */
    public RouteHandler authenticated(AuthenticatedHandler handler) {
        return ex -> {
            headers(ex);
            Caller caller = bearerValidator.authenticate(ex);
            handler.handle(ex, caller);
        };
    }

    /** Every Power BI response carries RequestId and home-cluster-uri (powerbi-rest-api.md §2, §15 row 36). */
    public void headers(SandboxExchange ex) {
        ex.setResponseHeader("RequestId", ex.requestId());
        ex.setResponseHeader("home-cluster-uri", config.homeClusterUri());
        ex.setResponseHeader("Access-Control-Expose-Headers", "RequestId");
    }

    /** {@code https://HOST:PORT/v1.0/myorg/$metadata#...} as the client addressed the sandbox. */
    public static String odataContext(SandboxExchange ex, String fragment) {
        return ex.origin() + BASE_PATH + "/$metadata#" + fragment;
    }

    /**
     * An unknown path under {@code /v1.0/}: authenticate first (as the service does), then 404. guess: the body of
     * ASP.NET's "no resource" answer.
     */
    void notFound(SandboxExchange ex) throws IOException {
        headers(ex);
        bearerValidator.authenticate(ex);
        ex.sendJson(404, PowerBiError.codeMessage("NotFound",
                "No HTTP resource was found that matches the request URI '" + ex.origin() + ex.path() + "'."));
    }
}
