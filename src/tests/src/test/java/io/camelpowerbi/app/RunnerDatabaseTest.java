package io.camelpowerbi.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's database settings: what a user gets wrong, and what is printed. */
class RunnerDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void aPasswordInTheUrlIsNeverPrinted() {
        assertEquals(
                "jdbc:postgresql://db:5432/powerbi?user=etl&password=***&ssl=true",
                RunnerDatabase.display("jdbc:postgresql://db:5432/powerbi?user=etl&password=s3cret&ssl=true"));
        assertEquals(
                "jdbc:sqlserver://db;user=etl;password=***;encrypt=true",
                RunnerDatabase.display("jdbc:sqlserver://db;user=etl;password=s3cret;encrypt=true"));
    }

    @Test
    void aRelativeH2FileIsMadeExplicitlyRelative() {
        // H2 refuses "jdbc:h2:file:data/x" (implicitly relative): the default data directory is relative
        assertEquals(
                "jdbc:h2:file:./data/database/powerbi;MODE=PostgreSQL",
                RunnerDatabase.h2RelativePath("jdbc:h2:file:data/database/powerbi;MODE=PostgreSQL"));
        for (String url : List.of(
                "jdbc:h2:file:/var/lib/x",
                "jdbc:h2:file:./x",
                "jdbc:h2:file:../x",
                "jdbc:h2:file:~/x",
                "jdbc:h2:file:C:/x",
                "jdbc:h2:mem:x",
                "jdbc:postgresql://h/db")) {
            assertEquals(url, RunnerDatabase.h2RelativePath(url));
        }
    }

    @Test
    void anUnreachableDatabaseNamesTheOptionsWithoutThePassword() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RunnerDatabase.open(
                        "jdbc:postgresql://127.0.0.1:1/powerbi?password=s3cret&connectTimeout=2",
                        "etl",
                        "other-s3cret",
                        List.of()));
        assertTrue(
                e.getMessage()
                        .startsWith("powerbi.database.url: cannot connect to jdbc:postgresql://127.0.0.1:1/"
                                + "powerbi?password=***&connectTimeout=2 as 'etl'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("powerbi.database.password"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void aMissingOrFailingInitScriptNamesTheOption() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL";
        IllegalArgumentException missing = assertThrows(
                IllegalArgumentException.class,
                () -> RunnerDatabase.open(url, "sa", "", List.of(dir.resolve("nope.sql"))));
        assertTrue(missing.getMessage().startsWith("powerbi.database.init: no such file"), missing.getMessage());
        Path bad = java.nio.file.Files.writeString(dir.resolve("bad.sql"), "CREATE TABLOID x;");
        IllegalArgumentException failing =
                assertThrows(IllegalArgumentException.class, () -> RunnerDatabase.open(url, "sa", "", List.of(bad)));
        assertTrue(failing.getMessage().startsWith("powerbi.database.init: " + bad + " failed"), failing.getMessage());
    }
}
