package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local emulator of the Entra ID token endpoint and the Power BI REST API, faithful to Microsoft's documented
 * behaviour (codes, messages, error shapes; each class cites its page) and explicit where it guesses. It is a separate
 * service in its own artifact: it depends on no other package of the project.
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir))) {
 *     sandbox.tokenEndpoint(Sandbox.DEV_TENANT_ID);   // https://127.0.0.1:PORT/{tenant}/oauth2/v2.0/token
 *     sandbox.apiBaseUrl();                           // https://127.0.0.1:PORT (API under /v1.0/myorg)
 * }
 * }</pre>
 *
 * <p>The development tenant {@link #DEV_TENANT_ID} ({@link #DEV_TENANT_DOMAIN}) holds the app {@link #DEV_CLIENT_ID},
 * member of the workspaces "Sales Analytics" and "Finance" but not of "Executive Board". Its certificate, private key
 * and client secret are generated into the state directory on first start and reused afterwards. "Sales Analytics"
 * holds the push dataset {@link #DATASET_RETAIL}, the imported {@link #DATASET_FINANCE_MODEL} and the reports
 * {@link #REPORT_SALES} and {@link #REPORT_INVOICE}; "Finance" the imported {@link #DATASET_LEDGER}. The package
 * documentation lists the endpoints, the {@code /_sandbox} control endpoints and the Java API for tests.
 */
public final class Sandbox implements AutoCloseable {

    /** The development tenant's id. */
    public static final String DEV_TENANT_ID = "0b5e9c2a-6f1d-4c8e-9a3b-7d2f1e6c4a90";
    /** The development tenant's domain name. */
    public static final String DEV_TENANT_DOMAIN = "sandbox.onmicrosoft.com";
    /** The development app's client (application) id. */
    public static final String DEV_CLIENT_ID = "c4a1f7e2-3b9d-4e6a-8f05-2d7c9b1a6e34";
    /** The development app's service principal object id ({@code oid} of its tokens). */
    public static final String DEV_APP_OBJECT_ID = "5f8e2d1c-9b7a-4c6e-8d3f-1a2b3c4d5e6f";
    /**
     * The client id of the system-assigned managed identity of the host the sandbox emulates ({@link #identityEndpoint()}),
     * member of "Sales Analytics" and "Finance" like the development app.
     */
    public static final String DEV_MANAGED_IDENTITY_CLIENT_ID = "6a0d4b8e-2f1c-4e7a-9b3d-5c8e1f2a4d70";
    /** The managed identity's service principal object id ({@code oid} of its tokens). */
    public static final String DEV_MANAGED_IDENTITY_OBJECT_ID = "d3b7f1a9-4c2e-4a8b-8f6d-0e9c2b5a7f31";
    /** Workspace "Sales Analytics" (dev app is a member; dedicated capacity). */
    public static final String WORKSPACE_SALES_ANALYTICS = "7d3f2a91-5c4b-4e8d-a1f6-0b9e8c7d6a52";
    /** Workspace "Finance" (dev app is a member; shared capacity). */
    public static final String WORKSPACE_FINANCE = "e2b6c8d4-1a3f-4b7e-9c5d-8f0a2e4b6c13";
    /** Workspace "Executive Board" (dev app is not a member). */
    public static final String WORKSPACE_EXECUTIVE_BOARD = "91c4e7a2-8d6b-4f3e-b2a5-6c0d9e1f7b48";
    /** On-premises gateway "Finance Gateway" (2048-bit key), bound to "Finance Model"'s SQL data source. */
    public static final String GATEWAY_FINANCE = GatewaysApi.FINANCE_GATEWAY;
    /** On-premises gateway "Legacy Gateway" (1024-bit key). */
    public static final String GATEWAY_LEGACY = GatewaysApi.LEGACY_GATEWAY;
    /** Dataflow "Sales Prep" in "Sales Analytics": refreshes take 2 s and succeed. */
    public static final String DATAFLOW_SALES_PREP = "4b6d8f0a-2c4e-4a6b-9d8f-1e3a5c7b9d02";
    /** The capacity of "Sales Analytics". */
    public static final String DEV_CAPACITY_ID = "3e7a9c1b-2d4f-4a6e-8b0c-5d9f1e3a7c26";
    /** Push dataset "Retail" in "Sales Analytics": table {@code Sales}, retention basicFIFO, five seeded rows. */
    public static final String DATASET_RETAIL = "3f9c1a7e-2b4d-4e6f-8a1c-5d7e9b2f4a61";
    /** Imported dataset "Finance Model" in "Sales Analytics": refreshes take 2 s; table {@code Budget}. */
    public static final String DATASET_FINANCE_MODEL = "a8d2e4f6-1b3c-4d5e-9f7a-2c4e6b8d0f13";
    /** Imported dataset "Ledger" in "Finance" (shared capacity: plain refresh only, 8 per day). */
    public static final String DATASET_LEDGER = "c2e4a6b8-0d1f-4e3a-9b5c-7d9f1b3e5a46";
    /** Report "Sales Report" (PowerBIReport, 2 pages) in "Sales Analytics", bound to "Finance Model". */
    public static final String REPORT_SALES = "5c7e9a1b-3d5f-4a2c-8e6b-9d1f3a5c7e82";
    /** Paginated report "Invoice" in "Sales Analytics". */
    public static final String REPORT_INVOICE = "b1d3f5a7-9c2e-4b6d-8f1a-3e5c7a9b1d24";
    /** Lakehouse "Sales Lakehouse" in "Sales Analytics" (no schemas): Load Table and OneLake files. */
    public static final String LAKEHOUSE_SALES = "6b1e9d4c-2a7f-4c3e-8d5b-9f0a1c2e3d47";
    /** Lakehouse "Sales Lakehouse Schemas" in "Sales Analytics", created with schemas (default schema dbo). */
    public static final String LAKEHOUSE_SCHEMAS = "d4c3b2a1-7e6f-4d5c-9b8a-3f2e1d0c9b8a";
    /** Direct Lake semantic model "Sales Lakehouse Model" in "Sales Analytics", over {@link #LAKEHOUSE_SALES}. */
    public static final String DATASET_SALES_LAKEHOUSE_MODEL = "2e4f6a8c-0b1d-4e3f-a5c7-9e1b3d5f7a90";
    /** The Power BI resource of the public cloud; v2 scope = this + {@code /.default}. */
    public static final String POWER_BI_RESOURCE = "https://analysis.windows.net/powerbi/api";
    /** The connection file written by {@link #writeConnectionFile()}. */
    public static final String CONNECTION_FILE = "sandbox-connection.json";

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    static {
        // The JDK server writes headers and body separately; with Nagle on, each response waits ~40 ms for the
        // client's delayed ACK. Read once per JVM by the JDK, so it must be set before the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SandboxConfig config;
    private final SandboxClock clock;
    private final SandboxState state;
    private final FaultInjector faults = new FaultInjector();
    private final SandboxKeyMaterial keys;
    private final SigningKey signingKey;
    private final Router router = new Router();
    private final CopyOnWriteArrayList<SandboxObserver> observers = new CopyOnWriteArrayList<>();
    private final AtomicLong tokenRequests = new AtomicLong();
    private final PowerBiApi powerBiApi;
    private final FabricApi fabricApi;
    private final OneLakeApi oneLakeApi;
    private final Router fabricRouter = new Router();
    private final HttpServer server;
    /** The blob store's own listener: storage is another service, so its URLs never share the API's origin. */
    private final HttpServer storage;
    /** Fabric's API and OneLake are other hosts too: each its own listener, so a token meant for one is never sent to another. */
    private final HttpServer fabric;

    private final HttpServer oneLake;
    /** The managed identity endpoint's listener: plain HTTP on loopback, as on an Azure host. */
    private final HttpServer identity;

    private final Router identityRouter = new Router();
    private final ManagedIdentityEndpoint managedIdentity;
    private final ExecutorService executor;
    private final String scheme;
    private final String baseUrl;
    private final Object inFlightLock = new Object();
    private int inFlight;
    private volatile boolean closed;
    private volatile ConnectionFile connectionFile;

    private Sandbox(SandboxConfig config, Clock base) throws IOException {
        this.config = config;
        this.clock = new SandboxClock(base);
        this.keys = SandboxKeyMaterial.loadOrCreate(config.stateDir(), config.host(), clock.now());
        this.state = SandboxState.from(config.effectiveTenants());
        state.tenant(DEV_TENANT_ID).flatMap(t -> t.app(DEV_CLIENT_ID)).ifPresent(app -> {
            app.addSecret(keys.devSecret, null);
            app.addCertificate(keys.devApp.certificate());
        });
        if (config.extraWorkspaces() > 0) {
            Tenant dev =
                    state.tenant(DEV_TENANT_ID).orElseGet(() -> state.tenants().get(0));
            ExtraWorkspaces.create(dev, config.extraWorkspaces(), clock.now());
        }
        config.faults().forEach(faults::add);
        ServiceLoader.load(SandboxObserver.class).forEach(observers::add);
        this.signingKey = SigningKey.of(keys.signing);

        AudienceMatcher audienceMatcher = new AudienceMatcher(config);
        AssertionValidator assertionValidator = new AssertionValidator(config, audienceMatcher);
        AccessTokenIssuer issuer = new AccessTokenIssuer(signingKey, config.tokenLifetimeSeconds());
        new TokenEndpoint(config, state, assertionValidator, issuer).register(router);
        this.managedIdentity = new ManagedIdentityEndpoint(config, state, issuer);
        managedIdentity.register(identityRouter);
        new DiscoveryEndpoints(state, signingKey).register(router);
        BearerValidator bearerValidator =
                new BearerValidator(state, signingKey, config.apiAudiences(), config.apiClockSkewSeconds());
        this.powerBiApi = new PowerBiApi(config, state, bearerValidator, clock);
        powerBiApi.register(router);
        this.fabricApi = new FabricApi(state, bearerValidator, clock);
        fabricApi.register(fabricRouter);
        this.oneLakeApi = new OneLakeApi(state, bearerValidator, fabricApi);
        new AdminApi(state, faults, clock, tokenRequests::get, powerBiApi, this::reset, config.remoteControl())
                .register(router);
        router.get("/", this::index);

        this.scheme = config.https() ? "https" : "http";
        InetSocketAddress address =
                new InetSocketAddress(InetAddress.getByName(stripBrackets(config.host())), config.port());
        SSLContext tls = config.https() ? serverSslContext() : null;
        try {
            this.server = listener(address, tls);
        } catch (BindException e) {
            // the JDK says "Address already in use" without the address
            BindException named = new BindException("cannot listen on " + urlHost(config.host()) + ":" + config.port()
                    + ": " + e.getMessage()
                    + ConnectionFile.read(keys.file(CONNECTION_FILE))
                            .filter(ConnectionFile::running)
                            .map(f -> " (" + f.describe() + " is running, see "
                                    + f.file().toAbsolutePath() + ")")
                            .orElse(""));
            named.initCause(e);
            throw named;
        }
        this.storage = listener(new InetSocketAddress(address.getAddress(), 0), tls);
        this.fabric = listener(new InetSocketAddress(address.getAddress(), 0), tls);
        this.oneLake = listener(new InetSocketAddress(address.getAddress(), 0), tls);
        this.identity = listener(new InetSocketAddress(address.getAddress(), 0), null);
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sandbox-" + instance + "-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", counted(he -> serve(he, ObservedExchange.POWER_BI)));
        storage.setExecutor(executor);
        storage.createContext("/", counted(he -> serve(he, ObservedExchange.STORAGE)));
        fabric.setExecutor(executor);
        fabric.createContext("/", counted(he -> serve(he, ObservedExchange.FABRIC)));
        oneLake.setExecutor(executor);
        oneLake.createContext("/", counted(he -> serve(he, ObservedExchange.ONELAKE)));
        identity.setExecutor(executor);
        // the managed identity endpoint has its own port, as it is another host on Azure
        identity.createContext("/", counted(this::serveIdentity));
        server.start();
        storage.start();
        fabric.start();
        oneLake.start();
        identity.start();
        powerBiApi.storagePort(storage.getAddress().getPort());
        fabricApi.oneLakePort(oneLake.getAddress().getPort());
        this.baseUrl = scheme + "://" + urlHost(config.host()) + ":"
                + server.getAddress().getPort();
        LOG.info(
                "sandbox listening on {} (state in {}; dev tenant {}, dev app {})",
                baseUrl,
                keys.stateDir,
                DEV_TENANT_ID,
                DEV_CLIENT_ID);
    }

    private static HttpServer listener(InetSocketAddress address, SSLContext tls) throws IOException {
        if (tls == null) {
            return HttpServer.create(address, 64);
        }
        HttpsServer https = HttpsServer.create(address, 64);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        return https;
    }

    /** Starts a sandbox; close it to stop. */
    public static Sandbox start(SandboxConfig config) throws IOException {
        return new Sandbox(config, Clock.systemUTC());
    }

    /**
     * Starts with its clock on {@code base} instead of the system clock: {@code Sandbox.start(config,
     * SandboxClock.startingAt(instant))} runs from a fixed instant, so the seeded history (a day profile with quiet
     * nights and UTC-day windows) is the same whatever the hour the sandbox starts at.
     */
    public static Sandbox start(SandboxConfig config, Clock base) throws IOException {
        return new Sandbox(config, base);
    }

    // ------------------------------------------------------------------ addresses

    /** {@code https://127.0.0.1:PORT}. */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The v2 token endpoint of {@code tenant} (GUID or domain): {@code baseUrl/{tenant}/oauth2/v2.0/token}. */
    public String tokenEndpoint(String tenant) {
        return baseUrl + "/" + tenant + "/oauth2/v2.0/token";
    }

    /** The v1 token endpoint of {@code tenant}: {@code baseUrl/{tenant}/oauth2/token}. */
    public String tokenEndpointV1(String tenant) {
        return baseUrl + "/" + tenant + "/oauth2/token";
    }

    /** The authority to give MSAL or azure-identity: {@code baseUrl/{tenant}/}. */
    public String authority(String tenant) {
        return baseUrl + "/" + tenant + "/";
    }

    /** The Power BI API base; requests go to {@code apiBaseUrl() + "/v1.0/myorg/..."}. */
    public String apiBaseUrl() {
        return baseUrl;
    }

    /**
     * Where {@code ?preferClientRouting=true} is redirected to when {@code wrongCluster} is on: the "home cluster", the
     * same listener under the other loopback name ({@code https://localhost:PORT} for {@code 127.0.0.1}), so a client
     * meets a host change as with {@code wabi-…-redirect.analysis.windows.net} and must send its token there only if it
     * counts the host as Power BI's (the component's {@code tokenHosts}).
     */
    public String clusterBaseUrl() {
        return scheme + "://" + PowerBiApi.otherLoopbackName(urlHost(config.host())) + ":" + port();
    }

    /** The blob store's origin (upload locations, redirected export files): its own port, under the other loopback name. */
    public String storageBaseUrl() {
        return scheme + "://" + PowerBiApi.otherLoopbackName(urlHost(config.host())) + ":"
                + storage.getAddress().getPort();
    }

    /**
     * The Fabric REST API's base ({@code https://127.0.0.1:PORT}, its own port): requests go to {@code .../v1/...}, with
     * tokens for {@link FabricApi#AUDIENCE} only.
     */
    public String fabricApiBaseUrl() {
        return scheme + "://" + urlHost(config.host()) + ":"
                + fabric.getAddress().getPort();
    }

    /**
     * OneLake's DFS endpoint ({@code https://127.0.0.1:PORT}, its own port): {@code /{workspace}/{item}/Files/...}, with
     * tokens for the storage audience ({@code https://storage.azure.com}) only.
     */
    public String oneLakeBaseUrl() {
        return scheme + "://" + urlHost(config.host()) + ":"
                + oneLake.getAddress().getPort();
    }

    /**
     * The App Service form of the managed identity endpoint, the value of {@code IDENTITY_ENDPOINT}:
     * {@code http://127.0.0.1:PORT/msi/token} (plain HTTP on its own port, whether the API is HTTPS or not).
     */
    public String identityEndpoint() {
        return identityOrigin() + ManagedIdentityEndpoint.APP_SERVICE_PATH;
    }

    /** The value of {@code IDENTITY_HEADER} that {@link #identityEndpoint()} expects in {@code X-IDENTITY-HEADER}. Never log it. */
    public String identityHeader() {
        return managedIdentity.identityHeader();
    }

    /**
     * The IMDS form's host, {@code http://127.0.0.1:PORT}: tokens at {@code /metadata/identity/oauth2/token} with
     * {@code Metadata: true}. azure-identity asks it when {@code AZURE_POD_IDENTITY_AUTHORITY_HOST} names it.
     */
    public String imdsEndpoint() {
        return identityOrigin();
    }

    /**
     * Assigns an app of the development tenant (register it with {@link #registerApp}) to the emulated host as a
     * user-assigned managed identity: {@code client_id}, {@code object_id} or {@code mi_res_id} (ending in its display
     * name) then get its tokens.
     */
    public void assignManagedIdentity(String clientId) {
        managedIdentity.assign(clientId);
    }

    private String identityOrigin() {
        return "http://" + urlHost(config.host()) + ":" + identity.getAddress().getPort();
    }

    // ------------------------------------------------------------------ dev tenant and key material

    public String devTenantId() {
        return DEV_TENANT_ID;
    }

    public String devClientId() {
        return DEV_CLIENT_ID;
    }

    /** The dev app's generated client secret. Never log it. */
    public String devClientSecret() {
        return keys.devSecret;
    }

    public Path devCertificateFile() {
        return keys.file(SandboxKeyMaterial.DEV_CERT);
    }

    public Path devPrivateKeyFile() {
        return keys.file(SandboxKeyMaterial.DEV_KEY);
    }

    public X509Certificate devCertificate() {
        return keys.devApp.certificate();
    }

    /** The dev app's private key. Never log it. */
    public PrivateKey devPrivateKey() {
        return keys.devApp.privateKey();
    }

    public Path tlsCertificateFile() {
        return keys.file(SandboxKeyMaterial.TLS_CERT);
    }

    /** {@link #tlsCertificateFile()} as a PKCS#12 trust store, password {@link ConnectionFile#TRUST_STORE_PASSWORD}. */
    public Path tlsTrustStoreFile() {
        return keys.file(SandboxKeyMaterial.TLS_TRUST_STORE);
    }

    public X509Certificate tlsCertificate() {
        return keys.tls.certificate();
    }

    /** The certificate whose key signs access tokens (published at {@code /{tenant}/discovery/v2.0/keys}). */
    public X509Certificate tokenSigningCertificate() {
        return keys.signing.certificate();
    }

    public Path stateDir() {
        return keys.stateDir;
    }

    /** An SSLContext trusting the sandbox's TLS certificate only (for tests and clients). */
    public SSLContext sslContextTrustingSandbox() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("camel-powerbi-sandbox", keys.tls.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an SSLContext trusting the sandbox", e);
        }
    }

    /**
     * Writes {@code stateDir/sandbox-connection.json} (owner-only: it holds the dev secret) with {@code baseUrl},
     * {@code tokenEndpoint}, {@code apiBaseUrl} (the component's option of that name: REST calls go to
     * {@code apiBaseUrl/v1.0/myorg/...}), {@code clusterBaseUrl} (the home cluster's other host name, where the token
     * may follow a redirect), {@code fabricApiBaseUrl}, {@code oneLakeBaseUrl}, {@code tenantId}, {@code clientId}, {@code clientSecret}, {@code certificateFile},
     * {@code privateKeyFile}, {@code tlsCertificateFile}, {@code tlsTrustStoreFile}, {@code tlsTrustStorePassword}
     * (absolute paths), the managed identity endpoint's {@code identityEndpoint}, {@code identityHeader} and
     * {@code imdsEndpoint}, and {@code pid}. It is removed when this sandbox stops.
     *
     * @throws IllegalStateException when the file belongs to another sandbox that still runs (it is left alone)
     */
    public Path writeConnectionFile() throws IOException {
        ObjectNode json = Json.object();
        json.put("baseUrl", baseUrl);
        json.put("tokenEndpoint", tokenEndpoint(DEV_TENANT_ID));
        json.put("apiBaseUrl", apiBaseUrl());
        json.put("clusterBaseUrl", clusterBaseUrl());
        json.put("fabricApiBaseUrl", fabricApiBaseUrl());
        json.put("oneLakeBaseUrl", oneLakeBaseUrl());
        json.put("tenantId", DEV_TENANT_ID);
        json.put("clientId", DEV_CLIENT_ID);
        json.put("clientSecret", keys.devSecret);
        json.put("certificateFile", devCertificateFile().toAbsolutePath().toString());
        json.put("privateKeyFile", devPrivateKeyFile().toAbsolutePath().toString());
        json.put("tlsCertificateFile", tlsCertificateFile().toAbsolutePath().toString());
        json.put("tlsTrustStoreFile", tlsTrustStoreFile().toAbsolutePath().toString());
        json.put("tlsTrustStorePassword", ConnectionFile.TRUST_STORE_PASSWORD);
        json.put("identityEndpoint", identityEndpoint());
        json.put("identityHeader", identityHeader());
        json.put("imdsEndpoint", imdsEndpoint());
        connectionFile = ConnectionFile.write(keys.file(CONNECTION_FILE), json);
        LOG.info("connection file written: {}", connectionFile.file());
        return connectionFile.file();
    }

    // ------------------------------------------------------------------ run-time control

    /** The clock of every time decision; {@code clock().advance(...)} makes tokens expire without waiting. */
    public SandboxClock clock() {
        return clock;
    }

    public FaultInjector faults() {
        return faults;
    }

    /** POSTs received by the token endpoints (v1 and v2), successful or not, faulted ones included. */
    public long tokenRequestCount() {
        return tokenRequests.get();
    }

    /** Tenants, apps and workspaces, changeable at run time. */
    public SandboxState state() {
        return state;
    }

    public SandboxConfig config() {
        return config;
    }

    /** The Power BI API, for endpoints registered by later code (see {@link PowerBiApi.Module}). */
    public PowerBiApi powerBiApi() {
        return powerBiApi;
    }

    /** Adds an observer of every exchange from now on (see {@link SandboxObserver}). */
    public void addObserver(SandboxObserver observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
    }

    public boolean removeObserver(SandboxObserver observer) {
        return observers.remove(observer);
    }

    /** The observers in force: those found on the classpath at start, then those added. */
    public List<SandboxObserver> observers() {
        return List.copyOf(observers);
    }

    /** The router, for endpoints registered at run time. */
    public Router router() {
        return router;
    }

    // ------------------------------------------------------------------ Power BI content and behaviour

    /** The limits in force (rate limits, FIFO caps, time scale); {@code POST /_sandbox/limits} changes them too. */
    public LimitsConfig limits() {
        return powerBiApi.limits();
    }

    /**
     * E.g. {@code setLimits(limits().with(LimitsConfig::timeScale, 60.0))} or
     * {@code setLimits(limits().merge(Map.of(...)))}.
     */
    public void setLimits(LimitsConfig value) {
        powerBiApi.setLimits(value);
    }

    /** Refresh, export and import behaviour and the wrong-cluster toggle in force. */
    public ApiSettings settings() {
        return powerBiApi.settings();
    }

    public void setSettings(ApiSettings value) {
        powerBiApi.setSettings(value);
    }

    /** The workspace with this id in any tenant. */
    public Workspace workspace(String workspaceId) {
        return powerBiApi
                .findWorkspace(workspaceId)
                .orElseThrow(() -> new IllegalArgumentException("no workspace " + workspaceId));
    }

    /** The lakehouse with this id in any workspace: its OneLake files and its tables. */
    public Lakehouse lakehouse(String lakehouseId) {
        return fabricApi
                .findLakehouse(lakehouseId)
                .orElseThrow(() -> new IllegalArgumentException("no lakehouse " + lakehouseId));
    }

    /** The flushed content of a OneLake file of a lakehouse ({@code Files/...}). */
    public byte[] oneLakeFile(String lakehouseId, String path) {
        return lakehouse(lakehouseId).files().read(path);
    }

    /** Every Load Table operation since the start (or the last reset). */
    public List<LoadTableJob> loadTableJobs() {
        return fabricApi.loadJobs();
    }

    /** How long Load Table operations take from now on (default 1.5 s; 0 ends them at once). */
    public void setLoadTableDuration(java.time.Duration value) {
        fabricApi.setLoadDuration(value);
    }

    /** The dataset with this id in any workspace (published by its import or not). */
    /** The credentials JSON last set on a gateway's data source, decrypted (for tests; never logged). */
    public java.util.Optional<String> datasourceCredentials(String gatewayId, String datasourceId) {
        return powerBiApi.gateways.credentials(gatewayId, datasourceId);
    }

    /** The dataflow of that id in the workspace of that id. */
    public Dataflow dataflow(String workspaceId, String dataflowId) {
        return workspace(workspaceId)
                .dataflow(dataflowId)
                .orElseThrow(() ->
                        new IllegalArgumentException("no dataflow " + dataflowId + " in workspace " + workspaceId));
    }

    public Dataset dataset(String datasetId) {
        return powerBiApi
                .findDataset(datasetId)
                .orElseThrow(() -> new IllegalArgumentException("no dataset " + datasetId));
    }

    /** The report with this id in any workspace. */
    public Report report(String reportId) {
        return powerBiApi.findReport(reportId).orElseThrow(() -> new IllegalArgumentException("no report " + reportId));
    }

    /** How later refreshes of a dataset end, e.g. {@code RefreshBehaviour.failing(Duration.ofMillis(200), null)}. */
    public void setRefreshBehaviour(String datasetId, Dataset.RefreshBehaviour behaviour) {
        dataset(datasetId).setRefreshBehaviour(behaviour);
    }

    /** Holds admitted POST rows requests (they stay pending) until {@link #resumePostRows()}. */
    public void pausePostRows() {
        powerBiApi.pausePostRows();
    }

    public void resumePostRows() {
        powerBiApi.resumePostRows();
    }

    /** What {@code GET /_sandbox/state} answers. */
    public ObjectNode stateJson() {
        ObjectNode body = state.toJson(clock.now());
        body.put("tokenRequestCount", tokenRequests.get());
        body.put("throttledExecuteQueries", powerBiApi.throttledQueryCount());
        body.setAll(PowerBiAdminState.json(powerBiApi));
        body.set("fabric", fabricApi.stateJson());
        return body;
    }

    /**
     * Back to the configuration for everything a test may have changed in Power BI: every workspace's datasets,
     * reports and imports (rows and refresh history included) are seeded again, limits and settings are the configured
     * ones, upload locations, rate windows and fault rules are gone, the clock is back on the one it started with. Tenants, apps and
     * memberships are left as they are.
     */
    public void reset() {
        for (Tenant t : state.tenants()) {
            for (Workspace w : t.workspaces()) {
                w.resetContent();
            }
        }
        powerBiApi.reset();
        fabricApi.reset();
        faults.clear();
        config.faults().forEach(faults::add);
        clock.reset();
        LOG.info("sandbox reset to its configuration");
    }

    /** The activity log: {@code activityLog().add(json)} adds an event, {@code events(from, to)} lists them. */
    public ActivityLog activityLog() {
        return powerBiApi.activityLog();
    }

    /** Scans requested with {@code POST admin/workspaces/getInfo} (since the start or the last reset). */
    public java.util.List<ScanJob> scans() {
        return powerBiApi.scans();
    }

    /** Admin API calls received per endpoint ({@code activityevents}, {@code groups}, {@code workspaces/getInfo}...). */
    public java.util.Map<String, Long> adminCallCounts() {
        return powerBiApi.adminCallCounts();
    }

    /** Admin API calls answered 429. */
    public long throttledAdminCallCount() {
        return powerBiApi.throttledAdminCallCount();
    }

    /** Registers a certificate on an app (null dates = the certificate's own validity). */
    public RegisteredCertificate registerCertificate(
            String tenant, String clientId, X509Certificate certificate, Instant notBefore, Instant notAfter) {
        return state.registerCertificate(tenant, clientId, certificate, notBefore, notAfter);
    }

    /** Adds an app (with its secrets and certificates) to a tenant. */
    public App registerApp(String tenant, SandboxConfig.AppConfig app) throws IOException {
        return state.addApp(tenant, app);
    }

    public boolean isRunning() {
        return !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (connectionFile != null) {
            connectionFile.deleteIfOwn();
        }
        awaitInFlight(2_000);
        server.stop(0);
        storage.stop(0);
        fabric.stop(0);
        oneLake.stop(0);
        identity.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("sandbox on {} stopped", baseUrl);
    }

    /**
     * Lets running exchanges finish (a client may already hold its answer while the server thread is still inside the
     * TLS write), so that stopping does not cut them off; bounded, as a delay fault may be sleeping.
     */
    private void awaitInFlight(long maxMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        synchronized (inFlightLock) {
            while (inFlight > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    LOG.debug("stopping with {} exchange(s) still running", inFlight);
                    return;
                }
                try {
                    inFlightLock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Sandbox[" + baseUrl + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------ dispatch

    /** A listener's handler, counted while it runs, so that closing waits for the exchanges in flight. */
    private HttpHandler counted(HttpHandler handler) {
        return he -> {
            synchronized (inFlightLock) {
                inFlight++;
            }
            try {
                handler.handle(he);
            } finally {
                synchronized (inFlightLock) {
                    inFlight--;
                    inFlightLock.notifyAll();
                }
            }
        };
    }

    private void serve(HttpExchange he, String service) {
        SandboxExchange ex = new SandboxExchange(he, scheme, clock);
        ex.observers(observers);
        ex.service(service);
        String method = he.getRequestMethod();
        String path = ex.path();
        long started = System.nanoTime();
        boolean onStorage = service.equals(ObservedExchange.STORAGE);
        try {
            if (service.equals(ObservedExchange.FABRIC) || service.equals(ObservedExchange.ONELAKE)) {
                serveFabric(ex, service);
                return;
            }
            if (onStorage != path.startsWith(BlobEndpoint.PATH)) {
                // each service on its own listener, as blob storage and Power BI are different hosts
                ObjectNode body = Json.object();
                body.putObject("error")
                        .put("code", "NotFound")
                        .put(
                                "message",
                                onStorage
                                        ? "the sandbox's storage listener serves " + BlobEndpoint.PATH + " only"
                                        : "blobs are served by the sandbox's storage listener, " + storageBaseUrl());
                ex.sendJson(404, body);
                return;
            }
            if ("POST".equalsIgnoreCase(method)
                    && EntraEndpoints.TOKEN_PATH.matcher(path).matches()) {
                tokenRequests.incrementAndGet();
            }
            // the control endpoints are never faulted (a test can always clear what it set); the blob store is
            // "Azure", so uploads can be
            FaultRule afterProcessing = null;
            if (!path.startsWith("/_sandbox") || path.startsWith(BlobEndpoint.PATH)) {
                Optional<FaultRule> fault = faults.fire(method, path);
                if (fault.isPresent() && fault.get().afterProcessing()) {
                    afterProcessing = fault.get();
                } else if (fault.isPresent()) {
                    if (path.regionMatches(true, 0, "/v1.0/", 0, 6)) {
                        // an injected Power BI failure still looks like Power BI's (RequestId, home-cluster-uri)
                        powerBiApi.headers(ex);
                    }
                    ex.faultRule(fault.get().id());
                    if (faults.apply(fault.get(), ex)) {
                        return;
                    }
                    ex.faultRule(null); // a delay only: served as usual
                }
            }
            Router.Match match = router.match(method, path);
            if (match == null) {
                unmatched(ex);
                return;
            }
            ex.pathParams(match.params());
            if (afterProcessing != null) {
                serveThenLose(ex, match, afterProcessing);
                return;
            }
            match.route().handler().handle(ex);
            if (!ex.responded()) {
                throw new IllegalStateException("handler for " + match.route().pattern() + " sent no response");
            }
        } catch (SandboxHttpException e) {
            writeQuietly(ex, e);
        } catch (IOException e) {
            // the connection failed under us (client gone, timeout, sandbox stopping): nothing to answer
            LOG.debug("{} {}: connection problem: {}", method, path, e.toString());
        } catch (Exception | Error e) {
            LOG.error("{} {} failed in the sandbox", method, path, e);
            if (!ex.responded()) {
                try {
                    ObjectNode body = Json.object();
                    body.putObject("error")
                            .put("code", "SandboxInternalError")
                            .put("message", e.getClass().getSimpleName() + ": " + e.getMessage());
                    ex.sendJson(500, body);
                } catch (IOException | RuntimeException ignored) {
                    // the client is gone; nothing left to tell it
                }
            }
        } finally {
            LOG.debug(
                    "{} {} -> {} in {} ms",
                    method,
                    path,
                    ex.status(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            he.close();
        }
    }

    /** The managed identity endpoint: its own router; fault rules apply, as to any Azure service. */
    private void serveIdentity(HttpExchange he) {
        SandboxExchange ex = new SandboxExchange(he, "http", clock);
        ex.observers(observers);
        // MSAL4J 1.23.1 asks for //metadata/identity/oauth2/token: the double slash is the same resource
        String path = ex.path().replaceAll("/{2,}", "/");
        try {
            Optional<FaultRule> fault = faults.fire(he.getRequestMethod(), path);
            if (fault.isPresent() && !fault.get().afterProcessing()) {
                ex.faultRule(fault.get().id());
                if (faults.apply(fault.get(), ex)) {
                    return;
                }
                ex.faultRule(null);
            }
            Router.Match match = identityRouter.match(he.getRequestMethod(), path);
            if (match == null) {
                ex.sendJson(
                        404,
                        Json.object()
                                .put("error", "not_found")
                                .put(
                                        "error_description",
                                        "the managed identity endpoint serves "
                                                + ManagedIdentityEndpoint.APP_SERVICE_PATH + " and "
                                                + ManagedIdentityEndpoint.IMDS_PATH));
                return;
            }
            ex.pathParams(match.params());
            match.route().handler().handle(ex);
        } catch (SandboxHttpException e) {
            writeQuietly(ex, e);
        } catch (Exception e) {
            LOG.error("{} {} failed in the sandbox's managed identity endpoint", he.getRequestMethod(), path, e);
            if (!ex.responded()) {
                try {
                    ex.sendJson(500, Json.object().put("error", "unknown").put("error_description", e.toString()));
                } catch (IOException | RuntimeException ignored) {
                    // the client is gone
                }
            }
        } finally {
            he.close();
        }
    }

    /**
     * A request of the Fabric API or OneLake listener: faults first (a test's 429 or lost answer), then the service. Its
     * errors are written in its own shape by the caller's catch.
     */
    private void serveFabric(SandboxExchange ex, String service) throws Exception {
        Optional<FaultRule> fault = faults.fire(ex.method(), ex.path());
        if (fault.isPresent() && !fault.get().afterProcessing()) {
            ex.faultRule(fault.get().id());
            if (faults.apply(fault.get(), ex)) {
                return;
            }
            ex.faultRule(null);
        }
        if (fault.isPresent() && fault.get().afterProcessing()) {
            ex.discardAnswer();
            try {
                serveFabricService(ex, service);
            } catch (SandboxHttpException refused) {
                writeQuietly(ex, refused);
            }
            LOG.info(
                    "{} {} was served ({}); its answer is replaced by fault {}",
                    ex.method(),
                    ex.path(),
                    ex.status(),
                    fault.get().id());
            ex.replaceAnswer();
            ex.faultRule(fault.get().id());
            faults.apply(fault.get(), ex);
            return;
        }
        serveFabricService(ex, service);
    }

    private void serveFabricService(SandboxExchange ex, String service) throws Exception {
        if (service.equals(ObservedExchange.ONELAKE)) {
            oneLakeApi.serve(ex);
            return;
        }
        Router.Match match = fabricRouter.match(ex.method(), ex.path());
        if (match == null) {
            FabricApi.notFound(ex);
            return;
        }
        ex.pathParams(match.params());
        match.route().handler().handle(ex);
    }

    /**
     * Serves the request as usual, then throws its answer away and drops the connection or answers the fault's status
     * instead: the work is done and the client cannot know it.
     */
    private void serveThenLose(SandboxExchange ex, Router.Match match, FaultRule fault) throws Exception {
        ex.discardAnswer();
        try {
            match.route().handler().handle(ex);
        } catch (SandboxHttpException refused) {
            writeQuietly(ex, refused); // a refusal is lost the same way
        }
        LOG.info(
                "{} {} was served ({}); its answer is replaced by fault {}",
                ex.method(),
                ex.path(),
                ex.status(),
                fault.id());
        ex.replaceAnswer();
        if (ex.path().regionMatches(true, 0, "/v1.0/", 0, 6)) {
            powerBiApi.headers(ex);
        }
        ex.faultRule(fault.id()); // observers see the served answer above, then this one as the fault's
        faults.apply(fault, ex);
    }

    private void writeQuietly(SandboxExchange ex, SandboxHttpException e) {
        if (ex.responded()) {
            return;
        }
        try {
            e.writeTo(ex);
        } catch (IOException io) {
            LOG.debug("could not write the error answer: {}", io.getMessage());
        }
    }

    private void unmatched(SandboxExchange ex) throws IOException {
        if (ex.path().regionMatches(true, 0, "/v1.0/", 0, 6)) {
            powerBiApi.notFound(ex);
            return;
        }
        ObjectNode body = Json.object();
        if (router.pathExists(ex.path())) {
            body.putObject("error")
                    .put("code", "MethodNotAllowed")
                    .put("message", ex.method() + " is not supported on " + ex.path());
            ex.setResponseHeader("Allow", "GET, POST, PUT, PATCH, DELETE");
            ex.sendJson(405, body);
        } else {
            body.putObject("error").put("code", "NotFound").put("message", "the sandbox has no endpoint " + ex.path());
            ex.sendJson(404, body);
        }
    }

    private void index(SandboxExchange ex) throws IOException {
        ObjectNode body = Json.object();
        body.put("service", "camel-powerbi sandbox (Entra ID token endpoint and Power BI REST API emulator)");
        body.put("tokenEndpoint", ex.origin() + "/" + DEV_TENANT_ID + "/oauth2/v2.0/token");
        body.put("tokenEndpointV1", ex.origin() + "/" + DEV_TENANT_ID + "/oauth2/token");
        body.put("openidConfiguration", ex.origin() + "/" + DEV_TENANT_ID + "/v2.0/.well-known/openid-configuration");
        // the component's apiBaseUrl, as in the connection file; REST calls go under it to /v1.0/myorg
        body.put("apiBaseUrl", ex.origin());
        body.put("fabricApiBaseUrl", fabricApiBaseUrl());
        body.put("oneLakeBaseUrl", oneLakeBaseUrl());
        body.put("groups", ex.origin() + PowerBiApi.BASE_PATH + "/groups");
        body.put("devTenantId", DEV_TENANT_ID);
        body.put("devClientId", DEV_CLIENT_ID);
        body.put("scope", POWER_BI_RESOURCE + "/.default");
        body.put("state", ex.origin() + "/_sandbox/state");
        ex.sendJson(200, body);
    }

    private SSLContext serverSslContext() throws IOException {
        try {
            char[] password = new char[24];
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < password.length; i++) {
                password[i] = (char) ('a' + random.nextInt(26));
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry("tls", keys.tls.privateKey(), password, new Certificate[] {keys.tls.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for the sandbox: " + e.getMessage(), e);
        }
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String urlHost(String host) {
        String h = stripBrackets(host);
        if (SandboxKeyMaterial.isWildcard(h)) {
            return "127.0.0.1";
        }
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }
}
