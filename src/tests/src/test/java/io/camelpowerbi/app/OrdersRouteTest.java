package io.camelpowerbi.app;

import static io.camelpowerbi.OrderRows.HEADER;
import static io.camelpowerbi.OrderRows.rows;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.PushTable;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code routes/orders-to-powerbi.camel.yaml}, with {@code config/application.properties}, against the
 * sandbox: a file is taken only once its writer is done, a file that fails as a whole gets its reason beside it in
 * {@code failed/}, and what the route writes is its user's alone.
 */
class OrdersRouteTest extends CamelTestSupport {

    @TempDir
    static Path sandboxDir;

    static Sandbox sandbox;

    @TempDir
    Path data;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, sandboxDir));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getPropertiesComponent().setLocation("file:config/application.properties");
        context.getPropertiesComponent().addOverrideProperty("powerbi.data.dir", data.toString());
        new LocalSandbox(sandbox)
                .configure(
                        context.getComponent("powerbi", PowerBiComponent.class).getConfiguration());
        Path file = Path.of("routes/orders-to-powerbi.camel.yaml");
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.fromString(file.getFileName().toString(), Files.readString(file)));
        return context;
    }

    static PushTable orders() {
        Dataset sales = sandbox.workspace(Sandbox.WORKSPACE_SALES_ANALYTICS).datasets().stream()
                .filter(d -> d.name().equals("Sales"))
                .findFirst()
                .orElseThrow();
        return sales.table("Orders").orElseThrow();
    }

    static long ordersBetween(long from, long to) {
        return orders().rows(Long.MAX_VALUE).stream()
                .map(r -> ((Number) r[0]).longValue())
                .filter(id -> id >= from && id <= to)
                .count();
    }

    @Test
    void aFileStillBeingWrittenIsTakenOnlyOnceItsWriterIsDone() throws Exception {
        Path inbox = Files.createDirectories(data.resolve("inbox"));
        Path file = inbox.resolve("orders.csv");
        byte[] all = (HEADER + rows(300_001, 300_500)).getBytes(StandardCharsets.UTF_8);
        // a slow writer: 25 pieces, cut anywhere (mid-line too), 200 ms apart, through one open stream
        Thread writer = new Thread(
                () -> {
                    try (OutputStream out = Files.newOutputStream(file)) {
                        int piece = all.length / 25 + 1;
                        for (int at = 0; at < all.length; at += piece) {
                            out.write(all, at, Math.min(piece, all.length - at));
                            out.flush();
                            Thread.sleep(200);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "slow-writer");
        writer.start();
        await().atMost(Duration.ofSeconds(40))
                .until(() -> !writer.isAlive()
                        && (Files.exists(inbox.resolve("done/orders.csv"))
                                || Files.exists(inbox.resolve("failed/orders.csv"))));
        assertFalse(Files.exists(inbox.resolve("failed/orders.csv")), "taken only once complete, so nothing failed");
        assertEquals(500, ordersBetween(300_001, 300_500), "every row, none cut in half");
        assertEquals(new String(all, StandardCharsets.UTF_8), Files.readString(inbox.resolve("done/orders.csv")));
    }

    @Test
    void aFileThatFailsAsAWholeGetsItsReasonBesideItInFailed() throws Exception {
        Path inbox = Files.createDirectories(data.resolve("inbox"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(
                (HEADER + rows(310_001, 310_010) + "310011,2026-11-30T10:15:30Z,Caf").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {(byte) 0xc3, 0x28, (byte) 0xff, (byte) 0xfe});
        bytes.writeBytes((",North,Widget,3,19.99,true\n").getBytes(StandardCharsets.UTF_8));
        Files.write(inbox.resolve("broken.csv"), bytes.toByteArray());

        Path reason = inbox.resolve("failed/broken.csv.reason");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(inbox.resolve("failed/broken.csv")) && Files.exists(reason));
        String why = Files.readString(reason);
        assertTrue(
                why.contains("row 11")
                        && why.contains("column 'Customer'")
                        && why.contains("byte C3 at byte offset")
                        && why.contains("not valid UTF-8")
                        && why.contains("charset"),
                why);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(reason)));
    }

    @Test
    void rejectedRowsAreWrittenOwnerOnly() throws Exception {
        Path inbox = Files.createDirectories(data.resolve("inbox"));
        Files.writeString(
                inbox.resolve("some-bad.csv"),
                HEADER + rows(320_001, 320_005)
                        + "320006,2026-11-30T10:15:30Z,Customer 1,North,Widget,many,19.99,true\n");
        Path rejected = data.resolve("rejected/some-bad-rejected.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(rejected));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rejected)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rejected.getParent())));
        assertTrue(Files.readString(rejected).contains("Quantity"));
    }
}
