package io.camelpowerbi.app;

import io.camelpowerbi.component.PowerBiConfiguration;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.camel.util.StringHelper;

/**
 * The runner's configuration: {@code config/application.properties} plus command-line overrides, with Camel's
 * placeholders ({@code {{env:...}}}, {@code {{sys:...}}}) resolved the way camel-main resolves them, so {@code doctor}
 * sees exactly what {@code run} would use.
 */
final class RunnerConfig {

    static final Path DEFAULT_FILE = Path.of("config", "application.properties");
    private static final String COMPONENT_PREFIX = "camel.component.powerbi.";
    private static final String USE_GLOBAL_SSL = "use-global-ssl-context-parameters";

    private final Path file;
    private final Properties properties;
    private final Map<String, String> fromEnvironment;
    private final CamelContext placeholders = new DefaultCamelContext();

    private RunnerConfig(Path file, Properties properties, Map<String, String> fromEnvironment) {
        this.file = file;
        this.properties = properties;
        this.fromEnvironment = fromEnvironment;
        placeholders.getPropertiesComponent().setInitialProperties(properties);
    }

    static RunnerConfig load(Path file, Map<String, String> overrides) {
        return load(file, overrides, System.getenv());
    }

    /**
     * The file, then environment variables, then {@code overrides}, each winning over the one before. An environment
     * variable is camel-main's upper-case form of a key ({@code POWERBI_SANDBOX_ENABLED} for
     * {@code powerbi.sandbox.enabled}): every key of the file can be set so, and any component option as
     * {@code CAMEL_COMPONENT_POWERBI_<OPTION>} ({@code CAMEL_COMPONENT_POWERBI_CLIENT_SECRET}).
     */
    static RunnerConfig load(Path file, Map<String, String> overrides, Map<String, String> environment) {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
            }
        } else if (!file.equals(DEFAULT_FILE)) {
            throw new IllegalArgumentException("configuration file not found: " + file.toAbsolutePath());
        }
        Map<String, String> fromEnvironment = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            String value = environment.get(environmentName(key));
            if (value != null) {
                fromEnvironment.put(key, value);
            }
        }
        String componentPrefix = environmentName(COMPONENT_PREFIX);
        environment.forEach((name, value) -> {
            if (name.startsWith(componentPrefix) && name.length() > componentPrefix.length()) {
                String option = name.substring(componentPrefix.length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '-');
                fromEnvironment.put(COMPONENT_PREFIX + option, value);
            }
        });
        p.putAll(fromEnvironment);
        p.putAll(overrides);
        return new RunnerConfig(file, p, fromEnvironment);
    }

    /**
     * Refuses a key under {@code prefix} that is not one of {@code known}: the runner's own keys, where a misspelt or
     * removed one would otherwise be ignored without a word.
     */
    void requireKnown(String prefix, java.util.Set<String> known) {
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(prefix) && !known.contains(key)) {
                throw new IllegalArgumentException(key + " is not a setting of the runner: the " + prefix
                        + "* keys are " + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
    }

    /** camel-main's environment variable for a key: upper case, dots and dashes as underscores. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The keys set by environment variables, with their values. */
    Map<String, String> fromEnvironment() {
        return fromEnvironment;
    }

    Path file() {
        return file;
    }

    Properties properties() {
        return properties;
    }

    /**
     * {@code powerbi.sandbox.enabled} when set; left empty, the sandbox runs unless a tenant is configured
     * ({@code camel.component.powerbi.tenant-id}, from the file, {@code POWERBI_TENANT_ID} through it, or
     * {@code CAMEL_COMPONENT_POWERBI_TENANT_ID}).
     */
    boolean sandboxEnabled() {
        String explicit = value("powerbi.sandbox.enabled", null);
        if (explicit != null) {
            return Boolean.parseBoolean(explicit);
        }
        return value(COMPONENT_PREFIX + "tenant-id", null) == null;
    }

    /**
     * A duration property in the forms every duration option of the component takes (Camel's: 5m, PT5M, 300000), or
     * null when the key is missing or blank; the error names the key.
     */
    Duration duration(String key) {
        String text = value(key, null);
        if (text == null) {
            return null;
        }
        Duration d;
        try {
            d = placeholders.getTypeConverter().mandatoryConvertTo(Duration.class, text);
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    key + ": '" + text + "' is not a duration: give e.g. 5m, 1h30m, PT5M or" + " milliseconds", e);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration, not " + text);
        }
        return d;
    }

    Path sandboxConfig() {
        String f = properties.getProperty("powerbi.sandbox.config");
        return f == null || f.isBlank() || !Files.isRegularFile(Path.of(resolve(f))) ? null : Path.of(resolve(f));
    }

    /** A property with its placeholders resolved, or {@code otherwise} when it is missing or blank. */
    String value(String key, String otherwise) {
        String value = resolve(properties.getProperty(key));
        return value == null || value.isBlank() ? otherwise : value.trim();
    }

    /** The {@code camel.component.powerbi.*} options, placeholders resolved, bound onto a configuration. */
    PowerBiConfiguration componentConfiguration() {
        Map<String, Object> options = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            // the component's own option, not the configuration's: see useGlobalSsl()
            if (key.startsWith(COMPONENT_PREFIX) && !key.equals(COMPONENT_PREFIX + USE_GLOBAL_SSL)) {
                String value = resolve(properties.getProperty(key));
                if (value != null && !value.isBlank()) {
                    options.put(StringHelper.dashToCamelCase(key.substring(COMPONENT_PREFIX.length())), value);
                }
            }
        }
        PowerBiConfiguration configuration = new PowerBiConfiguration();
        PropertyBindingSupport.build()
                .withCamelContext(placeholders)
                .withTarget(configuration)
                .withProperties(options)
                .withIgnoreCase(true)
                .withRemoveParameters(true)
                .bind();
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) in " + file + ": "
                    + options.keySet().stream().map(k -> COMPONENT_PREFIX + k).toList());
        }
        return configuration;
    }

    /** {@code camel.component.powerbi.use-global-ssl-context-parameters}: the component takes camel.ssl.*. */
    boolean useGlobalSsl() {
        return Boolean.parseBoolean(value(COMPONENT_PREFIX + USE_GLOBAL_SSL, "false"));
    }

    /**
     * Camel's global TLS settings as camel-main builds them from {@code camel.ssl.*} (the trust store and key store
     * options; null when {@code camel.ssl.enabled} is not true), for doctor, which runs without camel-main.
     */
    SSLContextParameters globalSsl() {
        if (!Boolean.parseBoolean(value("camel.ssl.enabled", "false"))) {
            return null;
        }
        SSLContextParameters ssl = new SSLContextParameters();
        String trustStore = value("camel.ssl.trust-store", null);
        if (trustStore != null) {
            KeyStoreParameters store = new KeyStoreParameters();
            store.setResource(trustStore);
            store.setPassword(value("camel.ssl.trust-store-password", null));
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(store);
            ssl.setTrustManagers(trust);
        }
        String keyStore = value("camel.ssl.key-store", null);
        if (keyStore != null) {
            KeyStoreParameters store = new KeyStoreParameters();
            store.setResource(keyStore);
            store.setType(value("camel.ssl.key-store-type", null));
            store.setPassword(value("camel.ssl.keystore-password", null));
            KeyManagersParameters keys = new KeyManagersParameters();
            keys.setKeyStore(store);
            keys.setKeyPassword(value("camel.ssl.keystore-password", null));
            ssl.setKeyManagers(keys);
        }
        return ssl;
    }

    private String resolve(String value) {
        if (value == null || !value.contains("{{")) {
            return value;
        }
        return placeholders.resolvePropertyPlaceholders(value);
    }
}
