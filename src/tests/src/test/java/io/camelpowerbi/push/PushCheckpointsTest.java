package io.camelpowerbi.push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push's checkpoint is rewritten after every accepted batch, in place after the first: whenever it is read (by a
 * process started after a kill, while the writer still has it open), it is one whole record, the latest.
 */
class PushCheckpointsTest {

    @TempDir
    Path dir;

    @Test
    void everyRecordIsReadBackWholeWhileThePushStillWrites() throws Exception {
        Path file = Files.writeString(dir.resolve("orders.csv"), "Id\n1\n2\n");
        Path state = dir.resolve("state");
        PushCheckpoints checkpoints = new PushCheckpoints(state);
        try (PushCheckpoints.Recorder recorder = checkpoints.recorder(InputFile.of(file))) {
            for (long rows = 9; rows < 1_000_000_000_000L; rows = rows * 10 + 9) { // each record longer than the last
                recorder.accepted(rows, rows + 1);
                PushCheckpoints.Checkpoint read = new PushCheckpoints(state).find(InputFile.of(file));
                assertEquals(rows, read.rowsAccepted());
                assertEquals(rows + 1, read.lastRow());
            }
            recorder.accepted(5, 6); // shorter than the record it overwrites: the rest is blank, not the old digits
            PushCheckpoints.Checkpoint read = new PushCheckpoints(state).find(InputFile.of(file));
            assertEquals(5, read.rowsAccepted());
            assertEquals(6, read.lastRow());
        }
        try (Stream<Path> entries = Files.list(state)) {
            List<Path> all = entries.toList();
            assertEquals(1, all.size(), "one checkpoint per file, no temporary files left: " + all);
            assertEquals(
                    "rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(all.get(0))),
                    "a checkpoint names files: owner-only");
        }
    }

    @Test
    void aPushOfNewContentReplacesTheCheckpointOfTheOldWhole() throws Exception {
        Path file = Files.writeString(dir.resolve("orders.csv"), "Id\n1\n2\n");
        PushCheckpoints checkpoints = new PushCheckpoints(dir.resolve("state"));
        try (PushCheckpoints.Recorder old = checkpoints.recorder(InputFile.of(file))) {
            old.accepted(123_456_789, 123_456_790);
        }
        Files.writeString(file, "Id\n7\n8\n9\n"); // same name, other rows
        try (PushCheckpoints.Recorder recorder = checkpoints.recorder(InputFile.of(file))) {
            recorder.accepted(1, 1);
            PushCheckpoints.Checkpoint read = checkpoints.find(InputFile.of(file));
            assertEquals(1, read.rowsAccepted());
            assertEquals(InputFile.of(file).size(), read.size());
        }
    }
}
