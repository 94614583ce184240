package io.camelpowerbi.app;

import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * {@code run [--forever] [--config FILE] [--key=value ...] [ROUTES ...]}: camel-main with the configuration file
 * (default {@code config/application.properties}, when present) and either the route files and folders named on the
 * command line (your own job: exactly those routes, nothing of the sample) or, without any, the sample job of
 * {@code routes/} with its generated orders. It starts only what the routes use: the sandbox in-process unless a tenant
 * is configured ({@code powerbi.sandbox.*}), an embedded Artemis broker behind {@code jms} when a route uses
 * {@code jms:}, the database of {@code powerbi.database.*} as the bean {@code database} when a route uses it or
 * {@code sql:}. It stops by itself once the routes' work is done ({@link RunnerProgress}), after
 * {@code powerbi.runner.max-idle} without any exchange, or after {@code powerbi.runner.max-duration}; prints a summary;
 * exit status 0 when everything succeeded.
 */
public final class Runner {

    static final String USAGE = "usage: run [--forever] [--config FILE] [--key=value ...] [ROUTE-FILE-OR-FOLDER ...]";
    /** How often the job checks whether its work is done. */
    private static final long CHECK_MILLIS = 200;

    private static final Duration DEFAULT_MAX_IDLE = Duration.ofMinutes(5);

    private final Path configFile;
    private final Map<String, String> overrides;
    private final Map<String, String> environment;
    private final List<Path> routeFiles;
    private final boolean forever;
    private final PrintStream out;
    private volatile LocalSandbox sandbox;
    /** A sandbox in another process ({@code powerbi.sandbox.connection-file}), instead of {@link #sandbox}. */
    private SandboxConnection externalSandbox;

    private RunnerSummary summary;
    private volatile EmbeddedActiveMQ broker;
    private volatile RunnerDatabase database;

    public Runner(Path configFile, Map<String, String> overrides, boolean forever, PrintStream out) {
        this(configFile, overrides, System.getenv(), List.of(), forever, out);
    }

    /** @param routeFiles your own job's route files and folders; empty for the sample job */
    Runner(
            Path configFile,
            Map<String, String> overrides,
            Map<String, String> environment,
            List<Path> routeFiles,
            boolean forever,
            PrintStream out) {
        this.configFile = configFile;
        this.overrides = new LinkedHashMap<>(overrides);
        this.environment = environment;
        this.routeFiles = List.copyOf(routeFiles);
        this.forever = forever;
        this.out = out;
    }

    static int run(String[] args, PrintStream out) {
        Path config = RunnerConfig.DEFAULT_FILE;
        boolean forever = false;
        Map<String, String> overrides = new LinkedHashMap<>();
        List<Path> routes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ("--forever".equals(a)) {
                forever = true;
            } else if ("--config".equals(a) && i + 1 < args.length) {
                config = Path.of(args[++i]);
            } else if ("--help".equals(a) || "-h".equals(a)) {
                out.println(USAGE);
                out.println("""
                          ROUTE-FILE-OR-FOLDER  YAML route files (*.yaml) or folders of them: run exactly these routes
                                                (no sample data, no sample routes); none: the sample job of routes/
                          --forever             keep running; otherwise the job ends when its routes' work is done
                          --config FILE         properties (default config/application.properties, when present)
                          --key=value           any property, e.g. --powerbi.runner.max-duration=PT10M
                        Jars of other Camel components: put them in lib/ beside the jar or in the working directory.""");
                return 0;
            } else if (a.startsWith("--") && a.indexOf('=') > 2) {
                overrides.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (!a.startsWith("-")) {
                routes.add(Path.of(a));
            } else {
                out.println("run: unknown argument " + a + "\n" + USAGE);
                return 2;
            }
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try {
            List<Path> jars = RunnerLibraries.jars(RunnerLibraries.directories());
            if (!jars.isEmpty()) {
                out.println("[camel-powerbi] " + jars.size() + " jar(s) from lib/: "
                        + jars.stream().map(j -> j.getFileName().toString()).collect(Collectors.joining(", ")));
                Thread.currentThread().setContextClassLoader(RunnerLibraries.loader(jars, previous));
            }
            return new Runner(config, overrides, System.getenv(), routes, forever, out).run() ? 0 : 1;
        } catch (RuntimeException e) {
            out.println("run: " + e.getMessage());
            return 1;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** The sandbox started for this run (null when none was); still readable after. */
    public LocalSandbox sandbox() {
        return sandbox;
    }

    public RunnerSummary summary() {
        return summary;
    }

    /** Runs the job to its end; true when everything succeeded. */
    public boolean run() {
        RunnerConfig config = RunnerConfig.load(configFile, overrides, environment);
        config.requireKnown(
                "powerbi.runner.", java.util.Set.of("powerbi.runner.max-duration", "powerbi.runner.max-idle"));
        Path dataDir = Path.of(prop(config, "powerbi.data.dir", "data"));
        String routesPattern = routesPattern();
        Duration maxDuration = config.duration("powerbi.runner.max-duration");
        Duration configuredIdle = config.duration("powerbi.runner.max-idle");
        Duration maxIdle = configuredIdle != null ? configuredIdle : DEFAULT_MAX_IDLE;
        summary = new RunnerSummary(out);
        RunnerProgress progress = new RunnerProgress();

        OwnerOnly.directory(dataDir); // before anything is written into it
        if (routeFiles.isEmpty() && Boolean.parseBoolean(prop(config, "powerbi.sample.generate", "false"))) {
            generateSampleOrders(
                    dataDir.resolve("inbox"), Integer.parseInt(prop(config, "powerbi.sample.rows", "100000")));
        }
        Main main = new Main();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "camel-powerbi-watchdog");
            t.setDaemon(true);
            return t;
        });
        try {
            String connectionFile = prop(config, SandboxConnection.PROPERTY, "");
            if (!connectionFile.isBlank()) {
                externalSandbox = SandboxConnection.read(Path.of(connectionFile));
                out.println("[camel-powerbi] using the sandbox at " + externalSandbox.baseUrl() + " (" + connectionFile
                        + ")");
            } else if (config.sandboxEnabled()) {
                sandbox = startSandbox(config);
                out.println("[camel-powerbi] sandbox at " + sandbox.sandbox().baseUrl());
            }
            configureMain(main, config, dataDir, routesPattern, progress);
            if (!forever) {
                long started = System.nanoTime();
                AtomicBoolean ending = new AtomicBoolean();
                watchdog.scheduleWithFixedDelay(
                        () -> {
                            if (!ending.get() && check(main, progress, started, maxDuration, maxIdle)) {
                                ending.set(true);
                            }
                        },
                        CHECK_MILLIS,
                        CHECK_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
            main.run();
        } catch (Exception e) {
            summary.stopReason("failed: " + e.getMessage());
            out.println("[camel-powerbi] the job failed: " + e);
            if (String.valueOf(e.getMessage()).contains("needed Camel component jar")) {
                out.println(
                        "[camel-powerbi] put that component's jar and its dependencies in " + RunnerLibraries.DIRECTORY
                                + "/ beside camel-powerbi.jar or in the working directory (README: Write your own job)");
            }
            summary.print(out);
            return false;
        } finally {
            watchdog.shutdownNow();
            close();
        }
        progress.failedPolls().forEach(summary::failure);
        summary.print(out);
        return summary.succeeded() && main.getExitCode() == 0;
    }

    /** Ends the job when its work is done or a bound is reached (true then); runs every {@link #CHECK_MILLIS} ms. */
    private boolean check(Main main, RunnerProgress progress, long started, Duration maxDuration, Duration maxIdle) {
        CamelContext context = main.getCamelContext();
        if (context == null || !context.isStarted()) {
            return false;
        }
        String reason = null;
        Map<String, String> pending = progress.pending(context);
        if (RunnerProgress.hasWorkThatEnds(context) && progress.done(context)) {
            reason = "the routes' work is done";
        } else if (maxDuration != null && System.nanoTime() - started > maxDuration.toNanos()) {
            reason = "stopped after powerbi.runner.max-duration " + maxDuration;
        } else if (progress.idle().compareTo(maxIdle) > 0
                && context.getInflightRepository().size() == 0) {
            reason = "no exchange for powerbi.runner.max-idle " + maxIdle;
        } else {
            return false;
        }
        // a route that repeats without end is not unfinished work: a bound is how such a job ends
        pending.keySet().removeAll(RunnerProgress.endless(context).keySet());
        summary.unfinished(pending);
        summary.stopReason(reason);
        if (!pending.isEmpty()) {
            out.println("[camel-powerbi] " + reason + "; not finished: " + pending);
        }
        main.completed();
        return true;
    }

    /** camel-main's include pattern for the route files and folders of the command line, or null for the sample's. */
    private String routesPattern() {
        if (routeFiles.isEmpty()) {
            return null;
        }
        List<String> patterns = new ArrayList<>();
        for (Path p : routeFiles) {
            Path abs = p.toAbsolutePath().normalize();
            if (Files.isDirectory(abs)) {
                patterns.add("file:" + abs + "/*.yaml");
            } else if (!Files.isRegularFile(abs)) {
                throw new IllegalArgumentException("no route file or folder " + abs);
            } else if (!abs.getFileName().toString().endsWith(".yaml")) {
                throw new IllegalArgumentException(p + " is not a YAML route file (*.yaml, e.g. my-job.camel.yaml)");
            } else {
                patterns.add("file:" + abs);
            }
        }
        return String.join(",", patterns);
    }

    private void configureMain(
            Main main, RunnerConfig config, Path dataDir, String routesPattern, RunnerProgress progress) {
        if (Files.isRegularFile(configFile)) {
            main.setPropertyPlaceholderLocations("file:" + configFile);
        }
        // what the environment set (RunnerConfig's rule, the same for doctor), then the command line
        config.fromEnvironment().forEach(main::addOverrideProperty);
        overrides.forEach(main::addOverrideProperty);
        if (routesPattern != null) {
            main.addOverrideProperty("camel.main.routes-include-pattern", routesPattern);
        }
        // Stop within a couple of seconds (JMS consumers otherwise hold the shutdown for 5-6 s).
        main.configure().setShutdownTimeout(2);
        UnaryOperator<PowerBiConfiguration> pointAtSandbox =
                sandbox != null ? sandbox::configure : externalSandbox != null ? externalSandbox::configure : null;
        ClassLoader libraries = Thread.currentThread().getContextClassLoader();
        main.addMainListener(new MainListenerSupport() {
            private RunnerClusterStatus clusterStatus;

            @Override
            public void beforeConfigure(BaseMainSupport m) {
                CamelContext context = m.getCamelContext();
                // the jars of lib/: components, data formats and bean classes are found through it
                context.setApplicationContextClassLoader(libraries);
                context.getManagementStrategy().addEventNotifier(summary);
                context.getManagementStrategy().addEventNotifier(progress);
                if (pointAtSandbox != null) {
                    PowerBiComponent powerbi = new PowerBiComponent();
                    powerbi.setConfiguration(pointAtSandbox.apply(new PowerBiConfiguration()));
                    context.addComponent("powerbi", powerbi);
                }
            }

            @Override
            public void afterConfigure(BaseMainSupport m) {
                CamelContext context = m.getCamelContext();
                if (pointAtSandbox != null) {
                    // camel.component.powerbi.* (the real tenant's settings) must not override the sandbox's
                    PowerBiComponent powerbi = context.getComponent("powerbi", PowerBiComponent.class);
                    pointAtSandbox.apply(powerbi.getConfiguration());
                }
                startWhatTheRoutesUse(context, config, dataDir);
            }

            @Override
            public void afterStart(BaseMainSupport m) {
                CamelContext context = m.getCamelContext();
                progress.started();
                clusterStatus = RunnerClusterStatus.watch(context, out);
                if (!forever) {
                    Map<String, String> endless = RunnerProgress.endless(context);
                    if (!endless.isEmpty()) {
                        out.println("[camel-powerbi] " + endless.keySet() + " repeat without end (a timer without"
                                + " repeatCount): the job runs until powerbi.runner.max-duration or Ctrl-C; say"
                                + " --forever to mean it");
                    } else if (!RunnerProgress.hasWorkThatEnds(context)) {
                        out.println("[camel-powerbi] no route has work that ends (no file or polling consumer, no timer"
                                + " with repeatCount): the job ends after powerbi.runner.max-idle without an exchange,"
                                + " or use --forever");
                    }
                }
            }

            @Override
            public void beforeStop(BaseMainSupport m) {
                if (clusterStatus != null) {
                    clusterStatus.close();
                }
            }
        });
    }

    /** The broker and database, each only when a route uses it; before the routes start. */
    private void startWhatTheRoutesUse(CamelContext context, RunnerConfig config, Path dataDir) {
        RouteUses uses = RouteUses.of(context);
        if (uses.jms() && Boolean.parseBoolean(prop(config, "powerbi.broker.embedded", "true"))) {
            try {
                broker = startBroker(dataDir.resolve("broker"));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the embedded Artemis broker: " + e.getMessage(), e);
            }
            context.addComponent(
                    "jms", JmsComponent.jmsComponentAutoAcknowledge(new ActiveMQConnectionFactory("vm://0")));
            out.println("[camel-powerbi] embedded Artemis broker at vm://0");
        }
        if (uses.database() && config.value("powerbi.database.url", null) != null) {
            database = RunnerDatabase.open(config);
            context.getRegistry().bind(RunnerDatabase.BEAN, database.dataSource());
            summary.database(database.url());
            out.println("[camel-powerbi] database " + database.url());
        }
    }

    private void close() {
        if (database != null) {
            database.close();
        }
        if (broker != null) {
            try {
                broker.stop();
            } catch (Exception e) {
                out.println("[camel-powerbi] stopping the broker: " + e.getMessage());
            }
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private LocalSandbox startSandbox(RunnerConfig config) throws IOException {
        Path file = config.sandboxConfig();
        SandboxConfig sandboxConfig = file == null ? SandboxConfig.defaults() : SandboxConfig.load(file);
        String stateDir = prop(config, "powerbi.sandbox.state-dir", "");
        if (!stateDir.isBlank()) {
            sandboxConfig = sandboxConfig.with(SandboxConfig::stateDir, Path.of(stateDir));
        }
        return new LocalSandbox(io.camelpowerbi.sandbox.Sandbox.start(sandboxConfig));
    }

    private static String prop(RunnerConfig config, String key, String otherwise) {
        String value = config.properties().getProperty(key);
        return value == null || value.isBlank() ? otherwise : value.trim();
    }

    private static EmbeddedActiveMQ startBroker(Path dir) throws Exception {
        ConfigurationImpl configuration = new ConfigurationImpl();
        configuration.setPersistenceEnabled(false);
        configuration.setSecurityEnabled(false);
        // nothing is persisted; these only keep Artemis from creating directories in the working directory
        configuration.setBrokerInstance(dir.toAbsolutePath().toFile());
        configuration.setBindingsDirectory(dir.resolve("bindings").toString());
        configuration.setJournalDirectory(dir.resolve("journal").toString());
        configuration.setPagingDirectory(dir.resolve("paging").toString());
        configuration.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        configuration.addAcceptorConfiguration("in-vm", "vm://0");
        configuration.addAddressSetting(
                "#",
                new AddressSettings()
                        .setDeadLetterAddress(SimpleString.of("DLQ"))
                        .setExpiryAddress(SimpleString.of("ExpiryQueue")));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(configuration);
        broker.start();
        return broker;
    }

    private void generateSampleOrders(Path inbox, int rows) {
        try {
            if (Files.isDirectory(inbox)) {
                try (Stream<Path> files = Files.list(inbox)) {
                    if (files.anyMatch(
                            p -> Files.isRegularFile(p) && p.toString().endsWith(".csv"))) {
                        return;
                    }
                }
            }
            Path file = inbox.resolve("orders.csv");
            long start = System.nanoTime();
            int written = RunnerSampleData.generate(file, rows);
            out.printf(
                    "[camel-powerbi] generated %s (%,d rows, %d of them invalid on purpose) in %d ms%n",
                    file, written, RunnerSampleData.BAD_ROWS.length, (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sample orders into " + inbox + ": " + e.getMessage(), e);
        }
    }
}
