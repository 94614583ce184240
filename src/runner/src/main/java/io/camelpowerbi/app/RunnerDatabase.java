package io.camelpowerbi.app;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The database of the sample job's database routes, bound as the bean {@code database}: a small connection pool on
 * {@code powerbi.database.url} (an embedded H2 file under the data directory by default, any JDBC database whose driver
 * is on the classpath otherwise; H2 and PostgreSQL ship in the executable jar), with the scripts of
 * {@code powerbi.database.init} run once at start (they create what is missing).
 */
public final class RunnerDatabase implements AutoCloseable {

    /** The bean name the routes refer to ({@code dataSource: "#database"}). */
    public static final String BEAN = "database";

    private static final Pattern H2_FILE = Pattern.compile("^jdbc:h2:file:(?![/\\\\~.]|[A-Za-z]:)");
    private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)(password|passwd|pwd)=[^;&]*");

    private final HikariDataSource dataSource;
    private final String url;

    private RunnerDatabase(HikariDataSource dataSource, String url) {
        this.dataSource = dataSource;
        this.url = url;
    }

    /**
     * Opens the pool on {@code url} and runs {@code initScripts} (files of SQL statements separated by {@code ;}).
     * Fails with the option to fix when the database cannot be reached or a script fails.
     */
    public static RunnerDatabase open(String url, String user, String password, List<Path> initScripts) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("powerbi.database.url is not set: give a JDBC URL, e.g."
                    + " jdbc:postgresql://host:5432/powerbi, or the default embedded H2 file");
        }
        String jdbcUrl = h2RelativePath(url.trim());
        HikariConfig config = new HikariConfig();
        config.setPoolName("camel-powerbi-database");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        // the sample routes write from one consumer at a time
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "powerbi.database.url: cannot connect to " + display(jdbcUrl) + " as '"
                            + user + "': " + rootMessage(e) + " (check the URL, powerbi.database.user and"
                            + " powerbi.database.password; the JDBC driver must be on the classpath)",
                    e);
        }
        RunnerDatabase database = new RunnerDatabase(dataSource, jdbcUrl);
        try {
            database.init(initScripts);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        h2Files(jdbcUrl).forEach(OwnerOnly::file);
        return database;
    }

    /** The files an embedded H2 database of {@code jdbcUrl} keeps (none for another database). */
    static List<Path> h2Files(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:h2:file:")) {
            return List.of();
        }
        String base = jdbcUrl.substring("jdbc:h2:file:".length()).split(";", 2)[0];
        return List.of(Path.of(base + ".mv.db"), Path.of(base + ".trace.db"));
    }

    /** {@code powerbi.database.*} of the runner's configuration, placeholders resolved. */
    static RunnerDatabase open(RunnerConfig config) {
        List<Path> scripts = Arrays.stream(
                        config.value("powerbi.database.init", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Path::of)
                .toList();
        return open(
                config.value("powerbi.database.url", null),
                config.value("powerbi.database.user", null),
                config.value("powerbi.database.password", null),
                scripts);
    }

    private void init(List<Path> scripts) {
        for (Path script : scripts) {
            if (!Files.isRegularFile(script)) {
                throw new IllegalArgumentException("powerbi.database.init: no such file " + script.toAbsolutePath());
            }
            try {
                new ResourceDatabasePopulator(new FileSystemResource(script)).execute(dataSource);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "powerbi.database.init: " + script + " failed on " + display(url) + ": " + rootMessage(e), e);
            }
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The JDBC URL, without any password it may carry: safe to print. */
    public String url() {
        return display(url);
    }

    static String display(String jdbcUrl) {
        return SECRET_PARAMETER.matcher(jdbcUrl).replaceAll("$1=***");
    }

    /** H2 refuses file paths implicitly relative to the working directory; the data directory usually is one. */
    static String h2RelativePath(String url) {
        return H2_FILE.matcher(url).find() ? "jdbc:h2:file:./" + url.substring("jdbc:h2:file:".length()) : url;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
