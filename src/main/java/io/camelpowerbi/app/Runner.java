package io.camelpowerbi.app;

import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.component.PowerBiConfiguration;
import io.camelpowerbi.sandbox.SandboxConfig;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * {@code run [--forever] [--config FILE] [--key=value ...]}: the sample job. camel-main with
 * {@code config/application.properties} and {@code routes/*.camel.yaml}; the sandbox started in-process (by default)
 * with the {@code powerbi} component pointed at it; an embedded Artemis broker behind the {@code jms} component; the
 * database of {@code powerbi.database.*} bound as {@code database}; sample orders generated into the inbox. Stops by itself once the awaited routes have each finished an exchange
 * (or after {@code powerbi.runner.max-seconds}), prints a summary, exit status 0 when everything succeeded.
 */
public final class Runner {

    static final String USAGE = "usage: run [--forever] [--config FILE] [--key=value ...]";
    /** Routes started once the orders route has finished its first file (they need the pushed rows). */
    static final String AFTER_ORDERS_GROUP = "after-orders-load";
    /** The table routes/activity-to-database.camel.yaml writes (config/database/activity-events.sql creates it). */
    static final String EVENTS_TABLE = "activity_events";

    private final Path configFile;
    private final Map<String, String> overrides;
    private final Map<String, String> environment;
    private final boolean forever;
    private final PrintStream out;
    private volatile LocalSandbox sandbox;
    /** A sandbox in another process ({@code powerbi.sandbox.connection-file}), instead of {@link #sandbox}. */
    private SandboxConnection externalSandbox;
    private RunnerSummary summary;

    public Runner(Path configFile, Map<String, String> overrides, boolean forever, PrintStream out) {
        this(configFile, overrides, System.getenv(), forever, out);
    }

    Runner(Path configFile, Map<String, String> overrides, Map<String, String> environment, boolean forever,
            PrintStream out) {
        this.configFile = configFile;
        this.overrides = new LinkedHashMap<>(overrides);
        this.environment = environment;
        this.forever = forever;
        this.out = out;
    }

    static int run(String[] args, PrintStream out) {
        Path config = RunnerConfig.DEFAULT_FILE;
        boolean forever = false;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ("--forever".equals(a)) {
                forever = true;
            } else if ("--config".equals(a) && i + 1 < args.length) {
                config = Path.of(args[++i]);
            } else if ("--help".equals(a) || "-h".equals(a)) {
                out.println(USAGE);
                return 0;
            } else if (a.startsWith("--") && a.indexOf('=') > 2) {
                overrides.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else {
                out.println("run: unknown argument " + a + "\n" + USAGE);
                return 2;
            }
        }
        try {
            return new Runner(config, overrides, forever, out).run() ? 0 : 1;
        } catch (RuntimeException e) {
            out.println("run: " + e.getMessage());
            return 1;
        }
    }

    /** The sandbox started for this run (null when {@code powerbi.sandbox.enabled=false}); still readable after. */
    public LocalSandbox sandbox() {
        return sandbox;
    }

    public RunnerSummary summary() {
        return summary;
    }

    /** Runs the job to its end; true when everything succeeded. */
    public boolean run() {
        RunnerConfig config = RunnerConfig.load(configFile, overrides, environment);
        Path dataDir = Path.of(prop(config, "powerbi.data.dir", "data"));
        Set<String> awaited = new LinkedHashSet<>(Arrays.stream(prop(config, "powerbi.runner.await",
                "orders-to-powerbi,refresh-outcomes,dax-to-csv,report-to-pdf,activity-to-database").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList());
        long maxSeconds = Long.parseLong(prop(config, "powerbi.runner.max-seconds", "180"));
        summary = new RunnerSummary(awaited, prop(config, "powerbi.runner.orders-route", "orders-to-powerbi"),
                prop(config, "powerbi.runner.outcomes-route", "refresh-outcomes"), out);

        OwnerOnly.directory(dataDir); // before anything is written into it
        if (Boolean.parseBoolean(prop(config, "powerbi.sample.generate", "true"))) {
            generateSampleOrders(dataDir.resolve("inbox"), Integer.parseInt(prop(config, "powerbi.sample.rows", "100000")));
        }
        EmbeddedActiveMQ broker = null;
        RunnerDatabase database = null;
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
            ConnectionFactory jms = null;
            if (Boolean.parseBoolean(prop(config, "powerbi.broker.embedded", "true"))) {
                broker = startBroker(dataDir.resolve("broker"));
                jms = new ActiveMQConnectionFactory("vm://0");
                out.println("[camel-powerbi] embedded Artemis broker at vm://0");
            }
            if (config.value("powerbi.database.url", null) != null) {
                database = RunnerDatabase.open(config);
                summary.eventsStoredBy(prop(config, "powerbi.runner.events-route", "activity-to-database"),
                        "table " + EVENTS_TABLE + " in " + database.url());
                out.println("[camel-powerbi] database " + database.url());
            }
            configureMain(main, config, jms, database);
            summary.onRouteFinished(route -> {
                if (route.equals(prop(config, "powerbi.runner.orders-route", "orders-to-powerbi"))) {
                    startGroup(main.getCamelContext(), AFTER_ORDERS_GROUP);
                }
            });
            if (!forever) {
                summary.onIdle(main::completed);
                watchdog.schedule(() -> {
                    summary.stopReason("gave up after " + maxSeconds + " s (powerbi.runner.max-seconds)");
                    out.println("[camel-powerbi] still waiting for " + summary.pending() + " after " + maxSeconds
                            + " s: stopping");
                    main.completed();
                }, maxSeconds, TimeUnit.SECONDS);
            }
            main.run();
        } catch (Exception e) {
            summary.stopReason("failed: " + e.getMessage());
            out.println("[camel-powerbi] the job failed: " + e);
            summary.print(out);
            return false;
        } finally {
            watchdog.shutdownNow();
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
        summary.print(out);
        return summary.succeeded() && main.getExitCode() == 0;
    }

    private void configureMain(Main main, RunnerConfig config, ConnectionFactory jms, RunnerDatabase database) {
        main.setPropertyPlaceholderLocations("file:" + configFile);
        // what the environment set (RunnerConfig's rule, the same for doctor), then the command line
        config.fromEnvironment().forEach(main::addOverrideProperty);
        overrides.forEach(main::addOverrideProperty);
        // Stop within a couple of seconds (JMS consumers otherwise hold the shutdown for 5-6 s).
        main.configure().setShutdownTimeout(2);
        UnaryOperator<PowerBiConfiguration> pointAtSandbox = sandbox != null ? sandbox::configure
                : externalSandbox != null ? externalSandbox::configure : null;
        main.addMainListener(new MainListenerSupport() {
            private RunnerClusterStatus clusterStatus;

            @Override
            public void beforeConfigure(BaseMainSupport m) {
                CamelContext context = m.getCamelContext();
                context.getManagementStrategy().addEventNotifier(summary);
                if (pointAtSandbox != null) {
                    PowerBiComponent powerbi = new PowerBiComponent();
                    powerbi.setConfiguration(pointAtSandbox.apply(new PowerBiConfiguration()));
                    context.addComponent("powerbi", powerbi);
                }
                if (jms != null) {
                    context.addComponent("jms", JmsComponent.jmsComponentAutoAcknowledge(jms));
                }
                if (database != null) {
                    context.getRegistry().bind(RunnerDatabase.BEAN, database.dataSource());
                }
            }

            @Override
            public void afterConfigure(BaseMainSupport m) {
                if (pointAtSandbox != null) {
                    // camel.component.powerbi.* (the real tenant's settings) must not override the sandbox's
                    PowerBiComponent powerbi = m.getCamelContext().getComponent("powerbi", PowerBiComponent.class);
                    pointAtSandbox.apply(powerbi.getConfiguration());
                }
            }

            @Override
            public void afterStart(BaseMainSupport m) {
                clusterStatus = RunnerClusterStatus.watch(m.getCamelContext(), out);
            }

            @Override
            public void beforeStop(BaseMainSupport m) {
                if (clusterStatus != null) {
                    clusterStatus.close();
                }
            }
        });
    }

    private static void startGroup(CamelContext context, String group) {
        // not on the thread of the exchange that just finished
        Thread t = new Thread(() -> {
            for (Route route : context.getRoutes()) {
                if (group.equals(route.getGroup())) {
                    try {
                        context.getRouteController().startRoute(route.getRouteId());
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot start route " + route.getRouteId(), e);
                    }
                }
            }
        }, "camel-powerbi-start-" + group);
        t.setDaemon(true);
        t.start();
    }

    private LocalSandbox startSandbox(RunnerConfig config) throws IOException {
        Path file = config.sandboxConfig();
        SandboxConfig sandboxConfig = file == null ? SandboxConfig.defaults() : SandboxConfig.load(file);
        String stateDir = prop(config, "powerbi.sandbox.state-dir", "");
        if (!stateDir.isBlank()) {
            sandboxConfig = sandboxConfig.withStateDir(Path.of(stateDir));
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
        configuration.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("DLQ")).setExpiryAddress(SimpleString.of("ExpiryQueue")));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(configuration);
        broker.start();
        return broker;
    }

    private void generateSampleOrders(Path inbox, int rows) {
        try {
            if (Files.isDirectory(inbox)) {
                try (Stream<Path> files = Files.list(inbox)) {
                    if (files.anyMatch(p -> Files.isRegularFile(p) && p.toString().endsWith(".csv"))) {
                        return;
                    }
                }
            }
            Path file = inbox.resolve("orders.csv");
            long start = System.nanoTime();
            int written = RunnerSampleData.generate(file, rows);
            out.printf("[camel-powerbi] generated %s (%,d rows, %d of them invalid on purpose) in %d ms%n", file,
                    written, RunnerSampleData.BAD_ROWS.length, (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sample orders into " + inbox + ": " + e.getMessage(), e);
        }
    }
}
